// The screen a chaos session ended on: its name, "problem: <kind>" for a problem, "none" if no
// screen but the loading one is shown.
() => {
  const screen = document.querySelector("[data-screen]:not([data-screen=loading])");
  if (!screen) return "none";
  const problem = screen.dataset.problem;
  return problem ? "problem: " + problem : screen.dataset.screen;
}

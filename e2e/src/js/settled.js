// Resolves with how many animations it waited for once every finite CSS transition and animation
// has finished and a frame has been drawn after the last; rejects after `limitMs` (a paused
// animation, a transition restarted forever). Infinite animations (the spinner) are not waited for.
(limitMs) => {
  const settle = async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
    let waited = 0;
    // A finished transition can change a property another transition is keyed on, so look again.
    for (let round = 0; round < 20; round++) {
      await frame();
      const running = document.getAnimations().filter((animation) => {
        const timing = animation.effect && animation.effect.getComputedTiming();
        return animation.playState !== "finished" && timing && timing.endTime !== Infinity;
      });
      if (running.length === 0) return waited;
      waited += running.length;
      await Promise.all(running.map((animation) => animation.finished.catch(() => {})));
    }
    throw new Error("the page never settled");
  };
  return Promise.race([
    settle(),
    new Promise((_, reject) => setTimeout(() => reject(new Error("not settled")), limitMs)),
  ]);
}

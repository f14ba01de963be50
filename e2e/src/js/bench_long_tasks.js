// The benchmark's figures at the first door (`firstDoor`, the page's clock): when the wasm arrived,
// when it was instantiated, when the skeleton went, the longest task over 50 ms that ended by the
// first door, the time past 50 ms summed over those tasks, and each as "start after instantiated +
// length".
(firstDoor) => {
  const t = __bench.longTasks.filter((t) => t.start + t.duration <= firstDoor);
  return [Math.max(...__bench.requests("_bg.wasm").map((r) => r.end)), __bench.marks.wasmReady,
    __bench.marks.skeletonGone, Math.max(0, ...t.map((t) => t.duration)),
    t.reduce((n, t) => n + t.duration - 50, 0),
    t.map((t) => `${(t.start - __bench.marks.wasmReady).toFixed(0)}+${t.duration.toFixed(0)}`).join(" ")];
}

// Unit tests of the editor's arithmetic (web/js/clip_timeline.js) under node: kept time with
// cuts, VOD <-> output clock, caption words moved onto the output clock, crop keyframes eased
// as the renderer eases them, and trim-handle snapping.
//
//   node tests/browser/clip_timeline_test.js
"use strict";

const assert = require("assert");
const T = require("../../web/js/clip_timeline.js");

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test("cuts are clipped to the window, sorted and merged", () => {
  const cuts = T.normaliseCuts([{ start_ms: 9000, end_ms: 9500 }, { start_ms: 500, end_ms: 1500 },
                                { start_ms: 1400, end_ms: 2000 }, { start_ms: 3000, end_ms: 3000 }], 1000, 9200);
  assert.deepStrictEqual(cuts, [{ start_ms: 1000, end_ms: 2000 }, { start_ms: 9000, end_ms: 9200 }]);
});

test("kept length and both clocks skip the cuts", () => {
  const cuts = [{ start_ms: 12000, end_ms: 13000 }, { start_ms: 15000, end_ms: 15500 }];
  assert.strictEqual(T.keptMs(10000, 20000, cuts), 8500);
  assert.strictEqual(T.vodToOutput(11000, 10000, 20000, cuts), 1000);
  assert.strictEqual(T.vodToOutput(12500, 10000, 20000, cuts), 2000);  // inside a cut: the join
  assert.strictEqual(T.vodToOutput(14000, 10000, 20000, cuts), 3000);
  assert.strictEqual(T.vodToOutput(16000, 10000, 20000, cuts), 4500);
  assert.strictEqual(T.outputToVod(2000, 10000, 20000, cuts), 13000);
  assert.strictEqual(T.outputToVod(4500, 10000, 20000, cuts), 16000);
  for (let out = 0; out < 8500; out += 250) {
    assert.strictEqual(T.vodToOutput(T.outputToVod(out, 10000, 20000, cuts), 10000, 20000, cuts), out);
  }
  assert.deepStrictEqual(T.cutAt(12999, cuts), cuts[0]);
  assert.strictEqual(T.cutAt(13000, cuts), null);
});

test("caption words: cut words dropped, edges shortened, times on the output clock", () => {
  const words = [{ text: "before", start_ms: 9000, end_ms: 10200 }, { text: "a", start_ms: 11000, end_ms: 11500 },
                 { text: "gone", start_ms: 12000, end_ms: 12800 }, { text: "over", start_ms: 12800, end_ms: 13400 },
                 { text: "after", start_ms: 19800, end_ms: 21000 }];
  const out = T.outputWords(words, 10000, 20000, [{ start_ms: 12000, end_ms: 13000 }]);
  assert.deepStrictEqual(out.map((w) => w.text), ["before", "a", "over", "after"]);
  assert.deepStrictEqual(out[0], { text: "before", start_ms: 0, end_ms: 200 });
  assert.deepStrictEqual(out[2], { text: "over", start_ms: 2000, end_ms: 2400 });
  assert.deepStrictEqual(out[3], { text: "after", start_ms: 8800, end_ms: 9000 });
});

test("crop keyframes are held outside and eased with smoothstep between", () => {
  const kfs = [{ t_ms: 1000, x: 0, y: 0, width: 608, height: 1080 }, { t_ms: 3000, x: 1000, y: 0, width: 608, height: 1080 }];
  assert.strictEqual(T.cropAt(kfs, 0).x, 0);
  assert.strictEqual(T.cropAt(kfs, 5000).x, 1000);
  assert.strictEqual(T.cropAt(kfs, 2000).x, 500);
  assert.strictEqual(T.cropAt(kfs, 1500).x, Math.round(1000 * (0.25 * 0.25 * (3 - 0.5))));
  assert.strictEqual(T.cropAt([], 10), null);
  const replaced = T.setKeyframe(kfs, { t_ms: 1050, x: 7, y: 0, width: 608, height: 1080 }, 100);
  assert.deepStrictEqual(replaced.map((k) => k.x), [7, 1000]);
});

test("handles snap to word edges and silences within the tolerance only", () => {
  const words = [{ text: "a", start_ms: 1000, end_ms: 1400 }, { text: "b", start_ms: 2400, end_ms: 2800 }];
  assert.strictEqual(T.snap(1100, words, "start", 250, 300), 1000);
  assert.strictEqual(T.snap(1850, words, "start", 250, 300), 1900);  // middle of the 1 s silence
  assert.strictEqual(T.snap(2700, words, "end", 250, 300), 2800);
  assert.strictEqual(T.snap(5000, words, "end", 250, 300), 5000);
});

test("regions are trimmed to an aspect about their centre", () => {
  // The fill crop of a 1080p frame, as docs/edit-list.md's example has it.
  assert.deepStrictEqual(T.centredRect(1920, 1080, 9 / 16), { x: 656, y: 0, width: 608, height: 1080 });
  const t = T.trimToAspect({ x: 0, y: 600, width: 600, height: 480 }, 1080 / 730);
  assert.strictEqual(t.width, 600);
  assert.ok(Math.abs(t.width / t.height - 1080 / 730) < 0.01);
  assert.strictEqual(t.y, 600 + Math.round((480 - t.height) / 2));
});

let failed = 0;
for (const { name, fn } of tests) {
  try { fn(); console.log("ok   " + name); } catch (e) { failed++; console.error("FAIL " + name + "\n     " + e.message); }
}
process.exit(failed ? 1 : 0);

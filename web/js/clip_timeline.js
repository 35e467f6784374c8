// The editor's arithmetic, kept apart from the page so it can be tested without a browser
// (tests/browser/clip_timeline_test.js): the clip's kept time with cuts, the crop at a moment,
// and where a trim handle snaps. Every time is on the VOD clock in milliseconds, as in the edit
// list (docs/edit-list.md); "output" times are measured from the start of the rendered clip.
"use strict";

(function (root) {
  // Cuts inside [startMs, endMs): clipped to the window, sorted, overlapping or touching ones
  // merged, empty ones dropped.
  function normaliseCuts(cuts, startMs, endMs) {
    const inside = (cuts || [])
      .map((c) => ({ start_ms: Math.max(startMs, c.start_ms), end_ms: Math.min(endMs, c.end_ms) }))
      .filter((c) => c.end_ms > c.start_ms)
      .sort((a, b) => a.start_ms - b.start_ms);
    const out = [];
    for (const c of inside) {
      const last = out[out.length - 1];
      if (last && c.start_ms <= last.end_ms) last.end_ms = Math.max(last.end_ms, c.end_ms);
      else out.push({ start_ms: c.start_ms, end_ms: c.end_ms });
    }
    return out;
  }

  // The kept length of the clip, ms.
  function keptMs(startMs, endMs, cuts) {
    let total = endMs - startMs;
    for (const c of normaliseCuts(cuts, startMs, endMs)) total -= c.end_ms - c.start_ms;
    return total;
  }

  // VOD time -> output time (a time inside a cut maps to where the cut was joined).
  function vodToOutput(vodMs, startMs, endMs, cuts) {
    let out = Math.min(Math.max(vodMs, startMs), endMs) - startMs;
    for (const c of normaliseCuts(cuts, startMs, endMs)) {
      if (vodMs >= c.end_ms) out -= c.end_ms - c.start_ms;
      else if (vodMs > c.start_ms) out -= vodMs - c.start_ms;
    }
    return out;
  }

  // Output time -> VOD time (a join maps to the end of its cut: the first kept frame).
  function outputToVod(outMs, startMs, endMs, cuts) {
    let vod = startMs + Math.max(0, outMs);
    for (const c of normaliseCuts(cuts, startMs, endMs)) {
      if (vod >= c.start_ms) vod += c.end_ms - c.start_ms;
      else break;
    }
    return Math.min(vod, endMs);
  }

  // The cut containing vodMs, or null.
  function cutAt(vodMs, cuts) {
    for (const c of cuts || []) if (vodMs >= c.start_ms && vodMs < c.end_ms) return c;
    return null;
  }

  // Words the captions show, moved onto the output clock: words wholly inside a cut or outside
  // the window are dropped, words overlapping an edge or a cut are shortened.
  function outputWords(words, startMs, endMs, cuts) {
    const out = [];
    const merged = normaliseCuts(cuts, startMs, endMs);
    for (const w of words) {
      let s = Math.max(w.start_ms, startMs), e = Math.min(w.end_ms, endMs);
      if (e <= s && !(w.end_ms === w.start_ms && s >= startMs && s < endMs)) continue;
      const inCut = merged.find((c) => s >= c.start_ms && e <= c.end_ms);
      if (inCut) continue;
      for (const c of merged) {
        if (s >= c.start_ms && s < c.end_ms) s = c.end_ms;
        if (e > c.start_ms && e <= c.end_ms) e = c.start_ms;
      }
      if (e < s) continue;
      out.push({ text: w.text, start_ms: vodToOutput(s, startMs, endMs, merged),
                 end_ms: vodToOutput(e, startMs, endMs, merged) });
    }
    return out;
  }

  // The crop at vodMs from keyframes (sorted by t_ms): held before the first and after the
  // last, eased with smoothstep between neighbours, as the renderer does
  // (src/reframe/crop_keyframes.h). null without keyframes.
  function cropAt(keyframes, vodMs) {
    if (!keyframes || keyframes.length === 0) return null;
    if (vodMs <= keyframes[0].t_ms) return Object.assign({}, keyframes[0]);
    const last = keyframes[keyframes.length - 1];
    if (vodMs >= last.t_ms) return Object.assign({}, last);
    let i = 1;
    while (keyframes[i].t_ms < vodMs) i++;
    const a = keyframes[i - 1], b = keyframes[i];
    const u = (vodMs - a.t_ms) / (b.t_ms - a.t_ms);
    const k = u * u * (3 - 2 * u);
    const mix = (p, q) => Math.round(p + (q - p) * k);
    return { t_ms: vodMs, x: mix(a.x, b.x), y: mix(a.y, b.y), width: mix(a.width, b.width),
             height: mix(a.height, b.height) };
  }

  // Adds or replaces (within replaceWithinMs) the keyframe at kf.t_ms; returns a new sorted list.
  function setKeyframe(keyframes, kf, replaceWithinMs) {
    const rest = (keyframes || []).filter((k) => Math.abs(k.t_ms - kf.t_ms) > (replaceWithinMs || 0));
    rest.push(kf);
    return rest.sort((a, b) => a.t_ms - b.t_ms);
  }

  // Where a trim handle at vodMs snaps: the nearest word boundary of the right kind (a start
  // for the clip's start, an end for its end) or the middle of a silence between words (a gap
  // of at least minGapMs), when one is within toleranceMs; else vodMs itself.
  function snap(vodMs, words, edge, toleranceMs, minGapMs) {
    const points = [];
    const sorted = (words || []).slice().sort((a, b) => a.start_ms - b.start_ms);
    for (let i = 0; i < sorted.length; i++) {
      points.push(edge === "start" ? sorted[i].start_ms : sorted[i].end_ms);
      if (i + 1 < sorted.length && sorted[i + 1].start_ms - sorted[i].end_ms >= (minGapMs || 300)) {
        points.push(Math.round((sorted[i].end_ms + sorted[i + 1].start_ms) / 2));
      }
    }
    let best = vodMs, bestDist = toleranceMs + 1;
    for (const p of points) {
      const d = Math.abs(p - vodMs);
      if (d <= toleranceMs && d < bestDist) { best = p; bestDist = d; }
    }
    return best;
  }

  // The largest rectangle of aspect w:h (width/height) centred in a frameW x frameH frame.
  function centredRect(frameW, frameH, aspect) {
    let w = frameW, h = Math.round(frameW / aspect);
    if (h > frameH) { h = frameH; w = Math.round(frameH * aspect); }
    w -= w % 2; h -= h % 2;
    return { x: Math.round((frameW - w) / 2), y: Math.round((frameH - h) / 2), width: w, height: h };
  }

  // `rect` trimmed (centred) to aspect w:h, as the compositor trims a region to its panel.
  function trimToAspect(rect, aspect) {
    let w = rect.width, h = rect.height;
    if (w / h > aspect) w = Math.round(h * aspect); else h = Math.round(w / aspect);
    return { x: rect.x + Math.round((rect.width - w) / 2), y: rect.y + Math.round((rect.height - h) / 2),
             width: w, height: h };
  }

  const api = { normaliseCuts, keptMs, vodToOutput, outputToVod, cutAt, outputWords, cropAt,
                setKeyframe, snap, centredRect, trimToAspect };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.ClipTimeline = api;
})(typeof window !== "undefined" ? window : globalThis);

#!/usr/bin/env python3
"""Live clipping benchmark: the two figures of `clipthat live` that its users feel.

1. Trigger-to-clip latency: the end-to-end test's stream (tests/live/live_test.py: live HLS on
   loopback written at real time by FFmpeg, espeak-ng saying "clip that" twice, chat on
   ngircd) is watched by `clipthat live`; for each spoken trigger, the time from the end of
   the phrase as it went out live to the clip's MP4 being complete, and the post-roll that
   includes. Target: under 15 s after the post-roll ends, on a 2-core machine with x264.
2. False triggers on an hour of live talk: the hour of generated talk of
   bench/triggers_bench (eleven espeak-ng voices, near misses such as "clipboard", "flip
   that", "keep that", "eclipse", game audio and music under it, 10 planted triggers), made
   into a stream with a still picture and played through `clipthat live --speed fast`. Voice
   triggers within 1.5 s of a planted one count as found; the others are false. Targets: at
   least 9/10 found, at most 1 false per hour.

    bench/live_bench.py --clipthat build/apps/clipthat/clipthat \
        [--triggers-bench build/bench/triggers_bench] [--dir bench-data/live] [--skip-latency] [--seed N]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "live"))
import live_test  # noqa: E402


def latency(args):
    work = tempfile.mkdtemp(prefix="clipthat-live-bench-")
    try:
        live_test.run(argparse.Namespace(clipthat=args.clipthat), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def false_triggers(args):
    # Seed 1 keeps the folder names of earlier runs; another seed is another hour.
    suffix = "" if args.seed == 1 else f"-seed{args.seed}"
    talk_dir = os.path.join(args.dir, "talk" + suffix)
    subprocess.run([args.triggers_bench, "--dir", talk_dir, "--minutes", "60", "--seed",
                    str(args.seed), "--make-only"], check=True)
    truth = []
    with open(os.path.join(talk_dir, "truth.tsv")) as f:
        lines = f.read().splitlines()
    duration_ms = int(lines[1])
    for line in lines[2:]:
        fields = line.split("\t")[0].split()
        if fields and fields[0] == "trigger":
            truth.append(int(fields[3]))
    media = os.path.join(args.dir, "talk" + suffix + ".mp4")
    if not os.path.exists(media):
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                        f"color=c=0x203040:size=320x180:rate=5:duration={duration_ms / 1000}",
                        "-i", os.path.join(talk_dir, "talk.wav"), "-c:v", "libx264", "-preset",
                        "veryfast", "-g", "10", "-c:a", "aac", "-b:a", "64k", "-shortest",
                        media + ".partial.mp4"], check=True)
        os.rename(media + ".partial.mp4", media)
    out = os.path.join(args.dir, "out" + suffix)
    shutil.rmtree(out, ignore_errors=True)
    started = time.time()
    subprocess.run([args.clipthat, "live", media, "--out", out, "--speed", "fast", "--layout",
                    "fit", "--quiet"], check=True, stdout=subprocess.DEVNULL)
    seconds = time.time() - started
    voice = []
    clips = 0
    with open(os.path.join(out, "events.jsonl")) as f:
        for line in f:
            e = json.loads(line)
            if e["event"] == "trigger" and e["source"] == "voice":
                voice.append(e)
            clips += e["event"] == "clip"
    found = sum(1 for t in truth if any(abs(v["at_ms"] - t) <= 1500 for v in voice))
    false = [v for v in voice if not any(abs(v["at_ms"] - t) <= 1500 for t in truth)]
    hours = duration_ms / 3600000
    print(f"live false triggers (the hour of seed {args.seed}): {found}/{len(truth)} planted found, {len(false)} false voice "
          f"triggers in {hours:.2f} h ({len(false) / hours:.1f} per hour; target at most 1, "
          f"at least 9/10 found); {clips} clips rendered; {seconds:.0f} s for the hour "
          f"played with --speed fast")
    for v in false:
        print(f"  false: {v['at_ms'] / 1000:8.1f} s  {v.get('phrase', '')}  confidence "
              f"{v['confidence']}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clipthat", required=True)
    parser.add_argument("--triggers-bench", default="build/bench/triggers_bench")
    parser.add_argument("--dir", default="bench-data/live")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--skip-false", action="store_true")
    parser.add_argument("--seed", type=int, default=1,
                        help="which hour of generated talk (triggers_bench --seed)")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    if not args.skip_latency:
        latency(args)
    if not args.skip_false:
        false_triggers(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

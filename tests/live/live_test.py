#!/usr/bin/env python3
"""Live clipping end to end: a generated stream played as live HLS on loopback, with chat on an
IRC server on loopback, watched by `clipthat live`.

- The stream: a 100 s test picture with speech made by espeak-ng: ordinary sentences, near
  misses ("put it on the clipboard", "flip that switch", "keep that one", "the eclipse"), and
  the streamer saying "clip that" at two known times (SPOKEN), each a few seconds after an
  excited reaction. It is written as live HLS at real time by FFmpeg (`-re`, an event playlist
  that grows every 2 s) and served by a small HTTP server in this test.
- The chat: ngircd on loopback; a few viewers chat now and then, and at BURST_S four viewers
  ask for a clip. `clipthat live` reads the channel anonymously (justinfan).

Checks: each spoken trigger and the chat burst made exactly one clip each, with the trigger's
moment inside the clip; no clip elsewhere; every events.jsonl line follows the contract; each
clip is a playable MP4 of its window's length. Prints the trigger-to-clip latency of each voice
clip (from the end of the phrase in the source, as it went out live, to the MP4 being written)
and the post-roll it includes.

Needs ffmpeg, ffprobe, espeak-ng and ngircd; exits 77 (CTest: skipped) when one is missing.

    tests/live/live_test.py --clipthat build/apps/clipthat/clipthat [--keep]
"""

import argparse
import array
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import wave

SKIP = 77
DURATION_S = 100
SPOKEN = [("clip that", 25.0), ("clip that", 56.0)]  # (phrase, start in the source, s)
BURST_S = 80.0
RATE = 22050
CHANNEL = "#clipthat"

SENTENCES = [
    (1.0, "hey chat, welcome back to the stream"),
    (6.0, "put it on the clipboard for later"),
    (11.0, "this boss has way too much health"),
    (16.0, "okay I think I know the pattern now"),
    (21.0, "oh my god no way did you see that"),
    (29.0, "that was actually insane"),
    (34.0, "flip that switch over there"),
    (39.0, "keep that one, we need it"),
    (44.0, "the eclipse event starts tonight"),
    (52.0, "no no no what just happened"),
    (60.0, "alright let us go again"),
    (66.0, "thanks for the follow, appreciate you"),
    (72.0, "I had pasta for dinner, it was pretty good"),
    (84.0, "good question, I started streaming two years ago"),
    (90.0, "let me grab some water real quick"),
]


class TestFailure(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout_s=10):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def speak(text, path, speed=165, pitch=50):
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", str(speed), "-p", str(pitch), "-w", path, text],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with wave.open(path) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        frames = w.readframes(w.getnframes())
        rate = w.getframerate()
    samples = array.array("h", frames)
    if rate != RATE:
        raise TestFailure(f"espeak-ng wrote {rate} Hz, expected {RATE}")
    return samples


def make_stream(work):
    """The source: test picture + speech over low noise. Returns (path, phrase end times)."""
    total = array.array("h", bytes(2 * RATE * DURATION_S))
    seed = 12345
    for i in range(len(total)):  # quiet noise under everything (-46 dBFS), like room tone
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        total[i] = (seed >> 16) % 301 - 150
    ends = []

    def place(samples, at_s, gain=1.0):
        start = int(at_s * RATE)
        for k, v in enumerate(samples):
            if start + k < len(total):
                total[start + k] = max(-32768, min(32767, int(total[start + k] + v * gain)))
        return at_s + len(samples) / RATE

    for n, (at, text) in enumerate(SENTENCES):
        place(speak(text, os.path.join(work, f"s{n}.wav"), speed=160 + 7 * (n % 4)), at, 0.6)
    for n, (phrase, at) in enumerate(SPOKEN):
        ends.append(place(speak(phrase, os.path.join(work, f"t{n}.wav"), speed=150), at, 0.8))
    wav_path = os.path.join(work, "speech.wav")
    with wave.open(wav_path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(total.tobytes())
    media = os.path.join(work, "stream.mp4")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc2=size=640x360:rate=30:duration={DURATION_S}", "-i", wav_path,
                    "-c:v", "libx264", "-preset", "veryfast", "-g", "60", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "96k", "-ar", "48000", "-shortest", media], check=True)
    return media, ends


class Ngircd:
    def __init__(self, work):
        self.port = free_port()
        self.dir = os.path.join(work, "ngircd")
        os.makedirs(self.dir)
        self.conf = os.path.join(self.dir, "ngircd.conf")
        with open(self.conf, "w") as f:
            f.write(f"""[Global]
Name = irc.clipthat.test
Info = ClipThat live test
AdminInfo1 = ClipThat tests
AdminInfo2 = loopback
AdminEMail = tests@clipthat.invalid
Listen = 127.0.0.1
Ports = {self.port}
PidFile = {self.dir}/ngircd.pid
MotdPhrase = ClipThat live test
[Limits]
MaxNickLength = 31
MaxConnectionsIP = 0
[Options]
PAM = no
Ident = no
DNS = no
""")
        self.proc = subprocess.Popen(["ngircd", "--nodaemon", "--config", self.conf],
                                     stdout=open(os.path.join(self.dir, "log"), "w"),
                                     stderr=subprocess.STDOUT)
        if not wait_port(self.port):
            raise TestFailure("ngircd did not start")

    def stop(self):
        self.proc.kill()
        self.proc.wait()


class Viewer:
    """One chatter: a plain IRC connection that joins the channel."""

    def __init__(self, port, nick):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.nick = nick
        self.send(f"NICK {nick}")
        self.send(f"USER {nick} 0 * :{nick}")
        self.wait_for(" 001 ")
        self.send(f"JOIN {CHANNEL}")
        self.wait_for(" 366 ")  # end of the names list: joined

    def send(self, line):
        self.sock.sendall((line + "\r\n").encode())

    def wait_for(self, marker, timeout_s=10):
        buf = b""
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            data = self.sock.recv(4096)
            if not data:
                break
            buf += data
            for line in buf.split(b"\r\n"):
                if line.startswith(b"PING"):
                    self.send("PONG" + line[4:].decode())
            if marker.encode() in buf:
                return
        raise TestFailure(f"{self.nick}: no {marker.strip()} from ngircd")

    def say(self, text):
        self.send(f"PRIVMSG {CHANNEL} :{text}")

    def close(self):
        try:
            self.send("QUIT :bye")
        except OSError:
            pass
        self.sock.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory):
    handler = functools.partial(QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(args, work):
    media, phrase_ends = make_stream(work)
    irc = Ngircd(work)
    hls = os.path.join(work, "hls")
    os.makedirs(hls)
    http_server = serve(hls)
    out = os.path.join(work, "out")
    live = None
    viewers = []
    try:
        regulars = [Viewer(irc.port, f"regular{k}") for k in range(2)]
        askers = [Viewer(irc.port, f"fan{k}") for k in range(4)]
        viewers = regulars + askers
        t0 = time.time()
        ffmpeg = subprocess.Popen(["ffmpeg", "-v", "error", "-re", "-i", media, "-c", "copy", "-f", "hls",
                                   "-hls_time", "2", "-hls_list_size", "0", "-hls_playlist_type",
                                   "event", "-hls_segment_filename", os.path.join(hls, "seg%03d.ts"),
                                   os.path.join(hls, "live.m3u8")])
        playlist = os.path.join(hls, "live.m3u8")
        while not (os.path.exists(playlist) and "seg000.ts" in open(playlist).read()):
            if time.time() - t0 > 20:
                raise TestFailure("FFmpeg wrote no live playlist")
            time.sleep(0.1)
        url = f"http://127.0.0.1:{http_server.server_address[1]}/live.m3u8"
        live = subprocess.Popen([args.clipthat, "live", url, "--out", out, "--chat",
                                 f"irc://127.0.0.1:{irc.port}/{CHANNEL}"],
                                stdout=subprocess.PIPE, stderr=open(os.path.join(work, "live.log"), "w"),
                                text=True)
        clip_written = {}
        reader = threading.Thread(
            target=lambda: [clip_written.setdefault(line.strip(), time.time()) for line in live.stdout],
            daemon=True)
        reader.start()
        # Chat: regulars now and then; the burst at BURST_S (source time = wall time since t0).
        schedule = [(s, regulars[i % 2], m) for i, (s, m) in enumerate(
            [(10, "hi chat"), (20, "this boss lol"), (33, "nice"), (47, "gg"), (63, "what game is this"),
             (70, "true"), (92, "o7")])]
        schedule += [(BURST_S + 0.6 * k, askers[k], text) for k, text in
                     enumerate(["CLIP IT", "clip that", "clip it!!", "CLIP"])]
        for at, viewer, text in sorted(schedule, key=lambda x: x[0]):
            delay = t0 + at - time.time()
            if delay > 0:
                time.sleep(delay)
            viewer.say(text)
        ffmpeg.wait(timeout=DURATION_S + 30)
        live.wait(timeout=240)
        reader.join(timeout=10)
        if live.returncode != 0:
            raise TestFailure(f"clipthat live exited {live.returncode}: " +
                              open(os.path.join(work, "live.log")).read()[-2000:])
        return check(out, t0, phrase_ends, clip_written)
    finally:
        for v in viewers:
            v.close()
        if live and live.poll() is None:
            live.kill()
        irc.stop()
        http_server.shutdown()


def check(out, t0, phrase_ends, clip_written):
    events = []
    with open(os.path.join(out, "events.jsonl")) as f:
        for n, line in enumerate(f, 1):
            e = json.loads(line)
            if not isinstance(e.get("event"), str) or not isinstance(e.get("at_ms"), int):
                raise TestFailure(f"events.jsonl line {n} breaks the contract: {line}")
            if e["event"] not in ("trigger", "tick", "moment", "clip", "credit", "error"):
                raise TestFailure(f"events.jsonl line {n}: unknown event {e['event']}")
            if e["event"] == "trigger" and (e.get("source") not in ("voice", "chat", "vision", "signal")
                                             or "confidence" not in e):
                raise TestFailure(f"events.jsonl line {n}: trigger without source/confidence: {line}")
            if e["event"] == "clip" and not all(k in e for k in ("path", "start_ms", "end_ms", "reason")):
                raise TestFailure(f"events.jsonl line {n}: clip without path/window/reason: {line}")
            events.append(e)
    errors = [e for e in events if e["event"] == "error"]
    if errors:
        raise TestFailure(f"errors in events.jsonl: {errors}")
    clips = [e for e in events if e["event"] == "clip"]
    triggers = [e for e in events if e["event"] == "trigger"]
    ticks = [e for e in events if e["event"] == "tick"]
    print(f"{len(triggers)} triggers, {len(clips)} clips, {len(ticks)} vision ticks")
    for t in triggers:
        print(f"  trigger {t['at_ms'] / 1000:6.1f} s  {t['source']:6} {t.get('phrase', ''):10} "
              f"confidence {t['confidence']}  moment {t['moment']}  ({t['reason']})")
    for c in clips:
        print(f"  clip {c['start_ms'] / 1000:6.1f}-{c['end_ms'] / 1000:6.1f} s  {c['path']}  ({c['reason']})")
    failures = []
    used = set()
    latencies = []
    for (phrase, at), end in zip(SPOKEN, phrase_ends):
        inside = [c for c in clips if c["start_ms"] <= at * 1000 <= c["end_ms"]]
        heard = [t for t in triggers if t["source"] == "voice" and abs(t["at_ms"] - at * 1000) <= 1500]
        if len(inside) != 1:
            failures.append(f'"{phrase}" at {at} s: {len(inside)} clips hold it (expected 1)')
            continue
        if not heard:
            failures.append(f'"{phrase}" at {at} s: no voice trigger within 1.5 s')
        used.add(inside[0]["path"])
        done = clip_written.get(inside[0]["path"])
        if done is not None:
            latencies.append((at, done - (t0 + end), inside[0]["end_ms"] / 1000 - end))
    chat_clips = [c for c in clips if c["start_ms"] <= (BURST_S - 8) * 1000 and
                  c["end_ms"] >= (BURST_S - 3) * 1000 and c["path"] not in used]
    chat_triggers = [t for t in triggers if t["source"] == "chat" and
                     (BURST_S - 10) * 1000 <= t["at_ms"] <= (BURST_S + 3) * 1000]
    if len(chat_clips) != 1 or not chat_triggers:
        failures.append(f"chat burst at {BURST_S} s: {len(chat_clips)} clips, "
                        f"{len(chat_triggers)} chat triggers (expected 1 clip)")
    else:
        used.add(chat_clips[0]["path"])
    elsewhere = [c["path"] for c in clips if c["path"] not in used]
    if elsewhere:
        failures.append(f"clips where nothing was asked for: {elsewhere}")
    for c in clips:
        probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                                "csv=p=0", c["path"]], capture_output=True, text=True)
        if probe.returncode != 0:
            failures.append(f"{c['path']}: not a playable MP4")
            continue
        seconds = float(probe.stdout.strip())
        want = (c["end_ms"] - c["start_ms"]) / 1000
        if abs(seconds - want) > 0.5:
            failures.append(f"{c['path']}: {seconds:.2f} s long, its window is {want:.2f} s")
    for at, latency, post_roll in latencies:
        print(f"trigger-to-clip latency (\"clip that\" at {at:.0f} s): {latency:.1f} s from the end of "
              f"the phrase to the MP4, of which {post_roll:.1f} s post-roll; "
              f"{latency - post_roll:.1f} s after the post-roll")
    if failures:
        raise TestFailure("; ".join(failures))
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clipthat", required=True)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    for tool in ("ffmpeg", "ffprobe", "espeak-ng", "ngircd"):
        if shutil.which(tool) is None:
            print(f"skipped: {tool} is not installed")
            return SKIP
    work = tempfile.mkdtemp(prefix="clipthat-live-test-")
    try:
        code = run(args, work)
        print("live_test: passed")
        return code
    except TestFailure as e:
        print(f"live_test: FAILED: {e}")
        print(f"work folder: {work}")
        args.keep = True
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

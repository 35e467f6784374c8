#!/usr/bin/env python3
"""Several API servers: two `clipthat serve` processes on one PostgreSQL database and one S3
bucket, behind nginx (tests/multinode/nginx.conf.in), with three `clipthat worker` processes
pointed at nginx.

A user signs up, uploads three generated VODs through resumable chunked upload sessions, queues
their analyses (each renders its best moments) and waits for every clip. Two faults on the way:

- one API server is SIGKILLed between two chunks of an upload; the client asks nginx for the
  VOD's received_bytes (the other server answers) and resumes from there. The killed server is
  restarted once every upload is in, and takes requests again;
- one worker is SIGKILLed while it holds a render job's lease (the job's lease owner, read from
  the database, names the worker's pid); the job is leased again when its lease expires and
  another worker finishes it. The killed worker is not restarted.

Then it checks that nothing was lost or done twice: every upload's bytes (SHA-256 of the media
downloaded through nginx), every job succeeded, exactly one clip per rendered moment and one
render job per clip, each job charged once in the credit ledger, each clip stored once in the
bucket (its clip.mp4 and thumb.jpg), each clip downloadable; and that a job's event stream
(Server-Sent Events) arrives through nginx. Prints the figures.

Needs CLIPTHAT_TEST_POSTGRES_URL, CLIPTHAT_TEST_S3_URL (scripts/test sets both), nginx and
psql; exits 77 (CTest: skipped) when one is missing. Python 3 standard library only.

    tests/multinode/multinode_test.py --clipthat build/apps/clipthat/clipthat [--keep]
"""

import argparse
import ctypes
import datetime
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
LEASE_MS = 3000  # short, so a killed worker's job is leased again within seconds
CHUNK_BYTES = 256 * 1024
VODS = 3
CLIPS_PER_VOD = 2  # short clips rendered per VOD: 6 render jobs shared by 3 workers
CLIP_MS = 4000  # short clips keep the renders quick on a small machine
PASSWORD = "a long enough password"
JOB_TIMEOUT_S = 240


class TestFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise TestFailure(message)


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    # Children never outlive the test, even when it is killed.
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Child:
    """A process with stdout and stderr in a log file; SIGKILLed by stop() when still running."""

    def __init__(self, name, args, log_path, env=None):
        self.name = name
        self.args = args
        self.log_path = log_path
        self.env = env
        self.proc = None
        self.start()

    def start(self):
        out = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.args, stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=self.env,
                                     preexec_fn=_die_with_parent)
        out.close()

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig, timeout=60):
        """Sends `sig` and waits for the exit; returns the exit code (negative: a signal)."""
        if self.alive():
            self.proc.send_signal(sig)
            try:
                return self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return None
        return self.proc.returncode if self.proc else None

    def stop(self):
        if self.alive():
            self.proc.kill()
            self.proc.wait()

    def log(self):
        try:
            with open(self.log_path, "r", errors="replace") as f:
                return f.read()
        except OSError:
            return ""


# --- HTTP ----------------------------------------------------------------------------------------


class Api:
    """JSON calls to one base address (nginx), a new connection per request."""

    def __init__(self, port):
        self.port = port
        self.token = None

    def request(self, method, path, body=None, headers=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=body, headers=h)
            res = conn.getresponse()
            data = res.read()
            return res.status, dict((k.lower(), v) for k, v in res.getheaders()), data
        finally:
            conn.close()

    def call(self, method, path, body=None, expect=200):
        status, _, data = self.request(method, path, body)
        if status != expect:
            raise TestFailure(f"{method} {path}: HTTP {status} (expected {expect}): {data[:500]!r}")
        return json.loads(data) if data else None


def wait_healthy(port, what, child, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if child is not None and not child.alive():
            raise TestFailure(f"{what} exited at start:\n{child.log()[-3000:]}")
        try:
            status, _, _ = Api(port).request("GET", "/healthz", timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise TestFailure(f"{what} not healthy on port {port} after {timeout}s:\n"
                      + (child.log()[-3000:] if child else ""))


# --- S3 (Signature Version 4, just what the test needs) ------------------------------------------


def s3_request(endpoint, access_key, secret_key, method, path, query=None, region="us-east-1"):
    host = urllib.parse.urlparse(endpoint).netloc
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = now.strftime("%Y%m%d")
    payload_hash = hashlib.sha256(b"").hexdigest()
    canonical_query = "&".join(
        f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}"
        for k, v in sorted((query or {}).items()))
    signed_headers = "host;x-amz-content-sha256;x-amz-date"
    canonical = "\n".join([
        method, urllib.parse.quote(path, safe="/-_.~"), canonical_query,
        f"host:{host}\nx-amz-content-sha256:{payload_hash}\nx-amz-date:{amz_date}\n",
        signed_headers, payload_hash])
    scope = f"{day}/{region}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret_key).encode()
    for part in (day, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers = {
        "Host": host, "x-amz-date": amz_date, "x-amz-content-sha256": payload_hash,
        "Authorization": f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
                         f"SignedHeaders={signed_headers}, Signature={signature}"}
    conn = http.client.HTTPConnection(host, timeout=30)
    try:
        conn.request(method, path + ("?" + canonical_query if canonical_query else ""),
                     headers=headers)
        res = conn.getresponse()
        return res.status, res.read()
    finally:
        conn.close()


def s3_list_keys(s3, prefix):
    keys, token = [], None
    while True:
        query = {"list-type": "2", "prefix": prefix}
        if token:
            query["continuation-token"] = token
        status, body = s3_request(s3["endpoint"], s3["access_key"], s3["secret_key"], "GET",
                                  "/" + s3["bucket"], query)
        check(status == 200, f"S3 ListObjectsV2 {prefix}: HTTP {status} {body[:300]!r}")
        root = ET.fromstring(body)
        ns = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
        keys += [e.findtext(f"{ns}Key") for e in root.iter(f"{ns}Contents")]
        token = root.findtext(f"{ns}NextContinuationToken")
        if not token:
            return keys


# --- The deployment ------------------------------------------------------------------------------


class Deployment:
    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.children = []
        self.servers = {}  # name -> Child
        self.server_ports = {}
        self.workers = []
        self.nginx = None
        self.db_admin_url = os.environ["CLIPTHAT_TEST_POSTGRES_URL"]
        self.db_name = None
        self.db_url = None
        self.s3 = None
        self.env = dict(os.environ)

    # PostgreSQL: a database of its own on the shared server, dropped at the end.
    def create_database(self):
        self.db_name = "multinode_" + secrets.token_hex(6)
        self.psql(self.db_admin_url, f"CREATE DATABASE {self.db_name}")
        parts = urllib.parse.urlsplit(self.db_admin_url)
        self.db_url = urllib.parse.urlunsplit(parts._replace(path="/" + self.db_name))

    def drop_database(self):
        if self.db_name:
            self.psql(self.db_admin_url, f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)",
                      check_rc=False)

    def psql(self, url, sql, check_rc=True):
        r = subprocess.run(["psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", url,
                            "-c", sql], capture_output=True, text=True, timeout=60)
        if check_rc and r.returncode != 0:
            raise TestFailure(f"psql {sql!r}: {r.stderr.strip()}")
        return r.stdout.strip()

    # S3: a bucket of its own on the test server.
    def create_bucket(self):
        url = os.environ["CLIPTHAT_TEST_S3_URL"]
        parts = urllib.parse.urlsplit(url)
        self.s3 = {
            "endpoint": f"{parts.scheme}://{parts.netloc}",
            "bucket": "multinode-" + secrets.token_hex(6),
            "access_key": os.environ.get("CLIPTHAT_TEST_S3_ACCESS_KEY") or "S3RVER",
            "secret_key": os.environ.get("CLIPTHAT_TEST_S3_SECRET_KEY") or "S3RVER",
        }
        status, body = s3_request(self.s3["endpoint"], self.s3["access_key"],
                                  self.s3["secret_key"], "PUT", "/" + self.s3["bucket"])
        check(status == 200, f"S3 CreateBucket {self.s3['bucket']}: HTTP {status} {body[:300]!r}")
        self.env.update({
            "CLIPTHAT_STORE_URL": "s3://" + self.s3["bucket"],
            "CLIPTHAT_STORE_S3_ENDPOINT": self.s3["endpoint"],
            "CLIPTHAT_STORE_S3_REGION": "us-east-1",
            "CLIPTHAT_STORE_S3_ACCESS__KEY": self.s3["access_key"],
            "CLIPTHAT_STORE_S3_SECRET__KEY": self.s3["secret_key"],
            # Servers sharing a database share the token secret.
            "CLIPTHAT_API_JWT__SECRET": secrets.token_hex(32),
            # nginx's address: its X-Forwarded-For names the client for per-address limits.
            "CLIPTHAT_API_TRUSTED__PROXIES": "127.0.0.1",
            # Analysis without speech keeps the test short; speech has its own tests.
            "CLIPTHAT_SPEECH_BACKEND": "none",
        })

    def serve_args(self, name):
        return [self.args.clipthat, "--log-level", "info", "--log-format", "json", "serve",
                "--host", "127.0.0.1", "--port", str(self.server_ports[name]),
                "--data", os.path.join(self.work, "data-" + name), "--db", self.db_url,
                "--threads", "24"]

    def create_worker_key(self):
        r = subprocess.run(self.serve_args("a") + ["--create-worker-key"], env=self.env,
                           capture_output=True, text=True, timeout=60)
        check(r.returncode == 0, f"serve --create-worker-key: {r.stderr}")
        return r.stdout.splitlines()[0].strip()

    def start_server(self, name):
        child = Child("serve-" + name, self.serve_args(name),
                      os.path.join(self.work, f"serve-{name}.log"), self.env)
        self.children.append(child)
        self.servers[name] = child
        wait_healthy(self.server_ports[name], "serve " + name, child)
        return child

    def start_nginx(self):
        ndir = os.path.join(self.work, "nginx")
        os.makedirs(os.path.join(ndir, "tmp"), exist_ok=True)
        with open(os.path.join(HERE, "nginx.conf.in")) as f:
            http_block = f.read()
        http_block = (http_block.replace("@SERVER_A@", f"127.0.0.1:{self.server_ports['a']}")
                      .replace("@SERVER_B@", f"127.0.0.1:{self.server_ports['b']}")
                      .replace("@LISTEN@", f"127.0.0.1:{self.nginx_port}"))
        # One process in the foreground (master_process off): it dies with the test, and as root
        # it needs no user to switch to. Logs and temporary files stay in its folder.
        conf = f"""master_process off;
daemon off;
pid {ndir}/nginx.pid;
error_log {ndir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  client_body_temp_path {ndir}/tmp/body;
  proxy_temp_path {ndir}/tmp/proxy;
  fastcgi_temp_path {ndir}/tmp/fastcgi;
  uwsgi_temp_path {ndir}/tmp/uwsgi;
  scgi_temp_path {ndir}/tmp/scgi;
  log_format upstream '$remote_addr "$request" $status $body_bytes_sent '
                      'upstream=$upstream_addr upstream_status=$upstream_status '
                      'rt=$request_time';
  access_log {ndir}/access.log upstream;
{http_block}
}}
"""
        path = os.path.join(ndir, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        self.nginx = Child("nginx", [self.args.nginx, "-p", ndir, "-c", path, "-e",
                                     os.path.join(ndir, "error.log")],
                           os.path.join(ndir, "stderr.log"))
        self.children.append(self.nginx)
        wait_healthy(self.nginx_port, "nginx", self.nginx)

    def start_worker(self, index, key):
        scratch = os.path.join(self.work, f"scratch-{index}")
        os.makedirs(scratch, exist_ok=True)
        child = Child(f"worker-{index}",
                      [self.args.clipthat, "--log-level", "info", "worker", "--api",
                       f"http://127.0.0.1:{self.nginx_port}", "--key", key, "--lease-ms",
                       str(LEASE_MS), "--scratch", scratch],
                      os.path.join(self.work, f"worker-{index}.log"), self.env)
        self.children.append(child)
        self.workers.append(child)
        return child

    def start(self):
        self.create_database()
        self.create_bucket()
        self.server_ports = {"a": free_port(), "b": free_port()}
        self.nginx_port = free_port()
        key = self.create_worker_key()
        self.start_server("a")
        self.start_server("b")
        self.start_nginx()
        for i in range(3):
            self.start_worker(i, key)

    def dump_logs(self):
        for child in self.children:
            text = child.log()
            print(f"--- {child.name} ({child.log_path}), last 4000 characters ---\n"
                  f"{text[-4000:]}", file=sys.stderr)
        access = os.path.join(self.work, "nginx", "access.log")
        if os.path.exists(access):
            with open(access) as f:
                print("--- nginx access.log, last 60 lines ---\n" + "".join(f.readlines()[-60:]),
                      file=sys.stderr)

    def stop(self):
        for child in reversed(self.children):
            child.stop()
        self.drop_database()


# --- The client's side ---------------------------------------------------------------------------


def make_samples(args, work):
    """Three short sample streams made by `clipthat sample`, generated side by side."""
    procs = []
    for i in range(VODS):
        out = os.path.join(work, f"sample-{i}")
        procs.append((out, subprocess.Popen(
            [args.clipthat, "sample", "--out", out, "--duration", "30", "--size", "640x360",
             "--fps", "30", "--moments", "1", "--seed", str(11 + i), "--jobs", "1", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)))
    samples = []
    for out, p in procs:
        text, _ = p.communicate(timeout=300)
        check(p.returncode == 0, f"clipthat sample: {text.decode(errors='replace')}")
        samples.append(out)
    return samples


class Uploader:
    """A resumable chunked upload: on any failure it asks the server for received_bytes and
    continues from there."""

    def __init__(self, api, stats):
        self.api = api
        self.stats = stats

    def received_bytes(self, vod_id):
        for _ in range(20):
            try:
                status, _, data = self.api.request("GET", f"/v1/vods/{vod_id}")
                if status == 200:
                    return json.loads(data)["received_bytes"]
            except OSError:
                pass
            time.sleep(0.25)
        raise TestFailure(f"GET /v1/vods/{vod_id}: no answer")

    def upload(self, path, title, between_chunks=None):
        with open(path, "rb") as f:
            media = f.read()
        vod = self.api.call("POST", "/v1/vods", {"title": title, "size_bytes": len(media),
                                                 "filename": "vod.mp4"}, expect=201)
        vod_id = vod["id"]
        check(vod["upload"]["next_offset"] == 0, f"new upload starts at 0: {vod}")
        offset, chunk_index, resumed = 0, 0, False
        while offset < len(media):
            end = min(len(media), offset + CHUNK_BYTES)
            ok = False
            try:
                status, _, data = self.api.request(
                    "PUT", f"/v1/vods/{vod_id}/media", body=media[offset:end],
                    headers={"Content-Range": f"bytes {offset}-{end - 1}/{len(media)}",
                             "Content-Type": "application/octet-stream"})
                ok = status == 200
                if not ok:
                    log(f"  chunk {offset}-{end - 1}: HTTP {status} {data[:200]!r}; resuming")
            except OSError as e:
                log(f"  chunk {offset}-{end - 1}: {e}; resuming")
            self.stats["chunks"] += 1
            if ok:
                offset = end
                chunk_index += 1
                if between_chunks and between_chunks(chunk_index):
                    # The client lost its server: it does not trust what it sent, but asks.
                    got = self.received_bytes(vod_id)
                    log(f"  resuming {title} from received_bytes={got} (sent {offset})")
                    check(got == offset, f"received_bytes {got} after chunks up to {offset}")
                    offset, resumed = got, True
            else:
                offset, resumed = self.received_bytes(vod_id), True
        if resumed:
            self.stats["resumed_uploads"] += 1
        chat_path = os.path.join(os.path.dirname(path), "chat.json")
        with open(chat_path, "rb") as f:
            status, _, data = self.api.request("PUT", f"/v1/vods/{vod_id}/chat", body=f.read(),
                                               headers={"Content-Type": "application/json"})
        check(status // 100 == 2, f"PUT chat: HTTP {status} {data[:200]!r}")
        return vod_id, hashlib.sha256(media).hexdigest(), len(media)


class EventWatcher(threading.Thread):
    """Reads a job's Server-Sent Events through nginx until its `state` event."""

    def __init__(self, api, job_id):
        super().__init__(daemon=True)
        self.api, self.job_id = api, job_id
        self.progress_events, self.final = 0, None
        self.error = None

    def run(self):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.api.port, timeout=JOB_TIMEOUT_S)
            conn.request("GET", f"/v1/jobs/{self.job_id}/events",
                         headers={"Authorization": "Bearer " + self.api.token,
                                  "Accept": "text/event-stream"})
            res = conn.getresponse()
            if res.status != 200:
                self.error = f"HTTP {res.status}"
                return
            event = None
            for raw in res:
                line = raw.decode().rstrip("\r\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    if event == "progress":
                        self.progress_events += 1
                    elif event == "state":
                        self.final = json.loads(line[6:])
                        return
            self.error = "the stream ended without a state event"
        except Exception as e:  # reported by the main thread
            self.error = repr(e)


def worker_pid_of(lease_owner):
    # Worker ids are HOST-PID-SUFFIX (src/worker/worker.cc, DefaultWorkerId).
    m = re.search(r"-(\d+)-[0-9a-f]+$", lease_owner or "")
    return int(m.group(1)) if m else None


def list_all(api, path):
    items, cursor = [], None
    while True:
        q = f"{path}?limit=100" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
        page = api.call("GET", q)
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items


def run(args, work):
    started = time.time()
    samples_thread_result = {}

    def samples():
        try:
            samples_thread_result["paths"] = make_samples(args, work)
        except Exception as e:
            samples_thread_result["error"] = e

    sampler = threading.Thread(target=samples)
    sampler.start()

    d = Deployment(args, work)
    stats = {"chunks": 0, "resumed_uploads": 0}
    try:
        d.start()
        log(f"deployment up: serve a :{d.server_ports['a']}, serve b :{d.server_ports['b']}, "
            f"nginx :{d.nginx_port}, 3 workers, database {d.db_name}, bucket {d.s3['bucket']}")
        api = Api(d.nginx_port)
        signup = api.call("POST", "/v1/auth/signup",
                          {"email": "multinode@example.com", "password": PASSWORD}, expect=201)
        api.token = signup["token"]

        sampler.join()
        if "error" in samples_thread_result:
            raise samples_thread_result["error"]
        sample_dirs = samples_thread_result["paths"]

        # Uploads; serve a dies between the 2nd and 3rd chunks of the second one.
        uploader = Uploader(api, stats)
        uploads = []
        killed_server = {}

        def kill_server_a(chunk_index):
            if chunk_index == 2 and not killed_server:
                log(f"SIGKILL serve a (pid {d.servers['a'].pid}) between chunks")
                d.servers["a"].signal(signal.SIGKILL)
                killed_server["at"] = time.time()
                return True
            return False

        for i, sample in enumerate(sample_dirs):
            vod_id, digest, size = uploader.upload(os.path.join(sample, "vod.mp4"),
                                                   f"Stream {i}",
                                                   kill_server_a if i == 1 else None)
            uploads.append({"id": vod_id, "sha256": digest, "size": size})
            log(f"uploaded VOD {i}: {size} bytes")
        check(killed_server, "serve a was killed during an upload")
        check(stats["resumed_uploads"] >= 1, "an upload was resumed")

        # Every upload is whole: ready, all its bytes, and the bytes are the file's.
        for u in uploads:
            vod = api.call("GET", f"/v1/vods/{u['id']}")
            check(vod["status"] == "ready", f"VOD {u['id']} is {vod['status']}")
            check(vod["received_bytes"] == u["size"],
                  f"VOD {u['id']}: received_bytes {vod['received_bytes']} != {u['size']}")
            status, _, body = api.request("GET", f"/v1/vods/{u['id']}/media")
            check(status == 200, f"download VOD {u['id']}: HTTP {status}")
            check(hashlib.sha256(body).hexdigest() == u["sha256"],
                  f"VOD {u['id']}: downloaded {len(body)} bytes differ from the upload")

        # serve a comes back on its port; nginx sends it requests again.
        log("restarting serve a")
        d.servers["a"].start()
        wait_healthy(d.server_ports["a"], "serve a (restarted)", d.servers["a"])
        restarted_at = time.time()

        # Analyses (the moments), then short clips rendered by render jobs: one at each VOD's
        # best moment, one at its start.
        analyses = []
        for u in uploads:
            job = api.call("POST", f"/v1/vods/{u['id']}/analyze",
                           {"top": 1, "render_top": 0}, expect=202)
            analyses.append(job["id"])
        watcher = EventWatcher(api, analyses[0])
        watcher.start()
        deadline = time.time() + JOB_TIMEOUT_S
        while time.time() < deadline:
            states = [api.call("GET", f"/v1/jobs/{j}")["status"] for j in analyses]
            if all(st in ("succeeded", "failed", "cancelled") for st in states):
                break
            time.sleep(0.3)
        check(states == ["succeeded"] * VODS, f"analyses ended {states}")
        renders = []
        for i, u in enumerate(uploads):
            moments = api.call("GET", f"/v1/vods/{u['id']}/moments")["items"]
            check(len(moments) >= 1, f"VOD {u['id']}: no moment found")
            # Inside the 30 s stream whatever the moment's place.
            windows = [min(moments[0]["start_ms"], 30000 - CLIP_MS - 1000), 1000]
            for n, start_ms in enumerate(windows[:CLIPS_PER_VOD]):
                clip = api.call("POST", "/v1/clips", {
                    "vod_id": u["id"], "title": f"Stream {i} clip {n}",
                    "edit_list": {"start_ms": start_ms, "end_ms": start_ms + CLIP_MS,
                                  "layout": {"mode": "auto"}}}, expect=201)
                job = api.call("POST", f"/v1/clips/{clip['id']}/render", expect=202)
                renders.append({"clip": clip["id"], "job": job["id"], "vod": u["id"]})
        log(f"queued {len(renders)} render jobs")

        # Kill the worker holding a render job's lease, once the render is under way.
        killed_job, killed_workers = None, []
        deadline = time.time() + JOB_TIMEOUT_S
        first_running = {}
        while killed_job is None and time.time() < deadline:
            jobs = list_all(api, "/v1/jobs")
            running = [j for j in jobs if j["kind"] == "render" and j["status"] == "running"]
            for j in running:
                first_running.setdefault(j["id"], time.time())
                # Past the lease itself: the worker is rendering (or 2 s into the job).
                if not (j["progress"] > 0 or time.time() - first_running[j["id"]] > 2.0):
                    continue
                owner = d.psql(d.db_url, "SELECT lease_owner FROM jobs WHERE id = "
                               f"'{j['id']}' AND status = 'running'")
                pid = worker_pid_of(owner)
                victim = next((w for w in d.workers if w.pid == pid and w.alive()), None)
                if victim is None:
                    continue
                log(f"SIGKILL {victim.name} (pid {pid}) holding render job {j['id']} "
                    f"(attempt {j['attempts']}, progress {j['progress']:.2f}, "
                    f"stage {j['stage']})")
                victim.signal(signal.SIGKILL)
                killed_workers.append(victim)
                after = api.call("GET", f"/v1/jobs/{j['id']}")
                if after["status"] == "succeeded" and after["attempts"] == j["attempts"]:
                    # It finished between the look and the kill: try another job.
                    log(f"  {j['id']} had just completed; looking for another")
                    continue
                killed_job = j["id"]
                break
            if killed_job is None:
                done = [j for j in jobs if j["kind"] == "render" and j["status"] == "succeeded"]
                check(len(done) < len(renders),
                      "every render finished before one could be interrupted")
                time.sleep(0.15)
        check(killed_job is not None, "no render job was seen running")

        # Wait for every job to end.
        while time.time() < deadline:
            jobs = list_all(api, "/v1/jobs")
            analyses_done = all(j["status"] in ("succeeded", "failed", "cancelled")
                                for j in jobs if j["kind"] == "analyze")
            if analyses_done and all(j["status"] in ("succeeded", "failed", "cancelled")
                                     for j in jobs if j["kind"] == "render"):
                break
            time.sleep(0.3)
        else:
            raise TestFailure("jobs did not finish in time: " + json.dumps(jobs)[:3000])

        # --- Checks: nothing lost, nothing done twice ------------------------------------------
        jobs = list_all(api, "/v1/jobs")
        for j in jobs:
            check(j["status"] == "succeeded",
                  f"{j['kind']} job {j['id']} is {j['status']}: {j.get('error')}")
        analyze_jobs = [j for j in jobs if j["kind"] == "analyze"]
        render_jobs = [j for j in jobs if j["kind"] == "render"]
        check(sorted(j["id"] for j in analyze_jobs) == sorted(analyses),
              "exactly the queued analyses ran")
        killed = next(j for j in jobs if j["id"] == killed_job)
        check(killed["attempts"] >= 2,
              f"the killed worker's job was leased again (attempts {killed['attempts']})")

        clips = list_all(api, "/v1/clips")
        expected_clips = len(renders)
        for u in uploads:
            mine = [c for c in clips if c["vod_id"] == u["id"]]
            check(len(mine) == CLIPS_PER_VOD,
                  f"VOD {u['id']}: {len(mine)} clips, expected {CLIPS_PER_VOD}")
        check(len(clips) == expected_clips, f"{len(clips)} clips, expected {expected_clips}")
        check(len({c["id"] for c in clips}) == len(clips), "clip ids are unique")
        for c in clips:
            check(c["status"] == "ready", f"clip {c['id']} is {c['status']}")
        render_clip_ids = [j["clip_id"] for j in render_jobs]
        check(sorted(render_clip_ids) == sorted(c["id"] for c in clips),
              "one render job per clip, and none for anything else")
        check(sorted(j["id"] for j in render_jobs) == sorted(r["job"] for r in renders),
              "exactly the queued renders ran")

        # Each job was charged exactly once (a capture entry in the ledger per job).
        ledger = list_all(api, "/v1/billing/ledger")
        captures = {}
        for e in ledger:
            if e["kind"] == "capture" and e.get("job_id"):
                captures[e["job_id"]] = captures.get(e["job_id"], 0) + 1
        duplicates = sum(n - 1 for n in captures.values() if n > 1)
        check(all(captures.get(j["id"]) == 1 for j in jobs),
              f"each job charged once: {captures}")

        # Each clip stored once in the bucket: its clip and its thumbnail, nothing else, and no
        # piece left by the killed attempt. An object written by appending is stored as pieces
        # KEY.parts/<end offset> (docs/deploy.md); the last piece ends at the object's size.
        objects = {}
        for key in s3_list_keys(d.s3, "clips/"):
            name, _, end = key.partition(".parts/")
            objects.setdefault(name, []).append(int(end) if end else None)
        expected_keys = sorted(f"clips/{c['id']}/{n}" for c in clips
                               for n in ("clip.mp4", "thumb.jpg"))
        check(sorted(objects) == expected_keys,
              f"bucket clips/: {sorted(objects)} != {expected_keys}")
        for c in clips:
            status, _, body = api.request("GET", f"/v1/clips/{c['id']}/download")
            check(status == 200 and body[4:8] == b"ftyp" and len(body) > 10000,
                  f"clip {c['id']} download: HTTP {status}, {len(body)} bytes")
            ends = objects[f"clips/{c['id']}/clip.mp4"]
            check(ends == [None] or max(ends) == len(body),
                  f"clip {c['id']}: stored pieces end at {sorted(ends)}, the clip has "
                  f"{len(body)} bytes")
            clip_path = os.path.join(work, f"clip-{c['id']}.mp4")
            with open(clip_path, "wb") as f:
                f.write(body)
            probe = subprocess.run(
                ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                 "default=nw=1:nk=1", clip_path], capture_output=True, text=True, timeout=60)
            duration = float(probe.stdout.strip() or 0)
            check(probe.returncode == 0 and abs(duration - CLIP_MS / 1000) < 0.5,
                  f"clip {c['id']}: ffprobe duration {duration} ({probe.stderr[:200]!r})")

        # Worker logs: each job reported done once; the killed worker never reported its job.
        done_lines = sum(w.log().count(" job done") for w in d.workers)
        check(done_lines == len(jobs), f"{done_lines} 'job done' lines for {len(jobs)} jobs")

        # The event stream came through nginx unbuffered, and ended with the job's state.
        watcher.join(30)
        check(watcher.error is None and watcher.final is not None,
              f"events of job {analyses[0]}: {watcher.error}")
        check(watcher.final["status"] == "succeeded", f"final event: {watcher.final}")

        # The restarted server took requests again (nginx's access log names the upstream).
        with open(os.path.join(work, "nginx", "access.log")) as f:
            access = f.readlines()
        per_upstream = {name: sum(f"upstream=127.0.0.1:{port}" in line for line in access)
                        for name, port in d.server_ports.items()}
        check(per_upstream["a"] > 0 and per_upstream["b"] > 0, f"requests per server {per_upstream}")
        check(d.servers["a"].log().count("clipthat serve: listening on") == 2,
              "serve a was started twice")

        # Clean stops: workers and servers exit 0 on SIGTERM.
        for w in d.workers:
            if w not in killed_workers:
                rc = w.signal(signal.SIGTERM)
                check(rc == 0, f"{w.name} exit code {rc} on SIGTERM")
        for name in ("a", "b"):
            rc = d.servers[name].signal(signal.SIGTERM)
            check(rc == 0, f"serve {name} exit code {rc} on SIGTERM")

        releases = sum(1 for j in jobs if j["attempts"] > 1)
        with open(os.path.join(work, "nginx", "error.log")) as f:
            failed_over = sum("connect() failed" in line for line in f)
        print("\nmultinode figures:")
        print(f"  API servers            2 (serve a SIGKILLed mid-upload, restarted "
              f"{restarted_at - killed_server['at']:.1f} s later)")
        print(f"  workers                3 ({len(killed_workers)} SIGKILLed mid-render, "
              "not restarted)")
        print(f"  uploads                {len(uploads)} ({sum(u['size'] for u in uploads)} bytes, "
              f"{stats['chunks']} chunk requests, {CHUNK_BYTES // 1024} KiB chunks)")
        print(f"  resumed uploads        {stats['resumed_uploads']}")
        print(f"  failed over by nginx   {failed_over} requests (connection refused by serve a)")
        print(f"  jobs                   {len(jobs)} ({len(analyze_jobs)} analyze, "
              f"{len(render_jobs)} render), all succeeded")
        print(f"  re-leased jobs         {releases} (attempts: "
              f"{sorted(j['attempts'] for j in jobs)})")
        print(f"  clips                  {len(clips)} (expected {expected_clips})")
        print(f"  duplicates             {duplicates}")
        print(f"  requests per server    a={per_upstream['a']} b={per_upstream['b']} "
              f"(nginx access log)")
        print(f"  SSE progress events    {watcher.progress_events} before the state event")
        print(f"  wall time              {time.time() - started:.1f} s")
        print("PASS")
        return 0
    except Exception:
        d.dump_logs()
        raise
    finally:
        sampler.join()
        d.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clipthat", required=True, help="the clipthat binary")
    parser.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    missing = [v for v in ("CLIPTHAT_TEST_POSTGRES_URL", "CLIPTHAT_TEST_S3_URL")
               if not os.environ.get(v)]
    if missing:
        print(f"SKIP: {' and '.join(missing)} not set (scripts/test sets them)")
        return SKIP
    if not os.access(args.nginx, os.X_OK):
        print(f"SKIP: nginx not found ({args.nginx}; scripts/setup installs nginx-light)")
        return SKIP
    if not shutil.which("psql"):
        print("SKIP: psql not found (scripts/setup installs postgresql)")
        return SKIP
    args.clipthat = os.path.abspath(args.clipthat)

    work = tempfile.mkdtemp(prefix="clipthat-multinode.")
    try:
        return run(args, work)
    except TestFailure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

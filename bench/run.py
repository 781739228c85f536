#!/usr/bin/env python3
"""The benchmark suite: dongari's release build on a Seoul-scale and a
one-district database, driven by wrk at 64 connections, beside the
reference server (../shared/tools/ceiling) measured in the same run.

Every dongari figure is a ratio: to the ceiling's one-row SELECT (reads) or
one-row INSERT (writes) measured just before it, and to the same endpoint at
one district's size. See bench/README.md.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
CEILING_SRC = ROOT.parent / "shared" / "tools" / "ceiling"
CEILING_TARGET = ROOT / "bench" / "target"
DONGARI = ROOT / "target" / "release" / "dongari"
CEILING = CEILING_TARGET / "release" / "app"


def log(msg):
    print(f"== {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(skip):
    if skip:
        return
    log("building dongari (release)")
    subprocess.run(["cargo", "build", "--release", "--locked"], cwd=ROOT, check=True)
    log("building the ceiling server into bench/target (its own folder)")
    # From its own folder: this project's .cargo/config.toml (SQLite's
    # build flags) is ours, not the reference's.
    subprocess.run(
        ["cargo", "build", "--release", "--locked", "--manifest-path",
         str(CEILING_SRC / "Cargo.toml"), "--target-dir", str(CEILING_TARGET)],
        cwd=CEILING_SRC, check=True,
    )


def dongari_env(db, extra=None):
    env = dict(os.environ)
    env.update({
        "DONGARI__DATABASE__URL": f"sqlite://{db}",
        "DONGARI__WEB__TEMPLATES_DIR": str(ROOT / "templates"),
        "DONGARI__WEB__ASSETS_DIR": str(ROOT / "assets"),
        "DONGARI__AUTH__SECRET_FILE": str(Path(db).parent / "jwt_secret"),
        "DONGARI__JOBS__ENABLED": "false",
        "DONGARI__MAIL__TRANSPORT": "memory",
        "DONGARI__LOG__LEVEL": "warn",
    })
    env.pop("RUST_LOG", None)
    env.update(extra or {})
    return env


def generate(scale, as_of, offices=None):
    folder = WORK / f"scale-{scale}" if offices is None else WORK / f"scale-{scale}-{offices}-office"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db = folder / "dongari.db"
    log(f"generating --scale {scale}")
    started = time.monotonic()
    extra = [] if offices is None else ["--offices", str(offices)]
    out = subprocess.run(
        [str(DONGARI), "demo", "--scale", scale, "--as-of", as_of, *extra], cwd=folder,
        env=dongari_env(db), capture_output=True, text=True, check=True,
    ).stdout
    seconds = time.monotonic() - started
    password = re.search(r"password \(shown once\): (\S+)", out).group(1)
    organization = re.search(r"organizations: (\S+?)[,\n]", out + "\n").group(1)
    return {"scale": scale, "db": db, "folder": folder, "password": password,
            "organization": organization, "generated_s": seconds, "summary": out.splitlines()[0]}


def http(port, method, path, token=None, body=None, timeout=30):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, data=data, timeout=timeout) as res:
        return json.loads(res.read() or b"null")


def median_ms(port, method, path, token, body=None, times=9):
    """One request at a time: the median of `times` answers, in ms."""
    spent = []
    for _ in range(times):
        started = time.monotonic()
        http(port, method, path, token, body)
        spent.append((time.monotonic() - started) * 1000)
    return sorted(spent)[len(spent) // 2]


class Server:
    def __init__(self, args, env=None, cwd=None):
        self.port = free_port()
        self.args = [a.replace("{PORT}", str(self.port)) for a in args]
        started = time.monotonic()
        self.proc = subprocess.Popen(self.args, env=env, cwd=cwd,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz" if "dongari" in self.args[0]
                                       else f"http://127.0.0.1:{self.port}/", timeout=2)
                break
            except Exception:
                if self.proc.poll() is not None or time.monotonic() - started > 60:
                    raise SystemExit(f"server did not start: {self.args}")
                time.sleep(0.005)
        self.first_answer_ms = (time.monotonic() - started) * 1000

    def cpu_s(self):
        """CPU time (user + system) the server has used so far, in seconds."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def settle(self, quiet_s=0.2, limit_s=15):
        """Waits until the server has finished the requests wrk left queued
        when it stopped (a slow endpoint's backlog outlives the run): no
        CPU used for `quiet_s`. The next measurement then has the machine
        to itself."""
        deadline = time.monotonic() + limit_s
        used = self.cpu_s()
        while time.monotonic() < deadline:
            time.sleep(quiet_s)
            now = self.cpu_s()
            if now == used:
                return
            used = now

    def measure(self, path, seconds, headers=(), script=None):
        """wrk on this server, with the CPU it used per answer (in µs), then
        waits for its backlog to drain."""
        used = self.cpu_s()
        result = wrk(self.port, path, seconds, headers, script)
        result["cpu_us"] = (self.cpu_s() - used) / max(result["requests"], 1) * 1e6
        self.settle()
        return result

    def rss_mb(self, field="VmHWM"):
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def wrk(port, path, seconds, headers=(), script=None):
    cmd = ["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    return {"rps": rps, "requests": requests, "p99_ms": float(p99.group(1)) * scale,
            "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(0) if errors else ""}


def interleaved(runs, rounds):
    """`rounds` rounds of the named measurements, each round in another
    order, so that no server is always measured right after the same one:
    [{name: result}] per round. The figures are then the medians of the
    rounds, and each ratio the median of the ratios within a round, taken
    seconds apart: a minute-long slow spell of the machine moves all three
    figures of a round, not one."""
    names = list(runs)
    out = []
    for i in range(rounds):
        order = names[i % len(names):] + names[:i % len(names)]
        out.append({name: runs[name]() for name in order})
    return out


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def lua(body, method="POST"):
    f = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, dir=WORK)
    f.write(f'wrk.method = "{method}"\nwrk.body = {json.dumps(json.dumps(body))}\n'
            'wrk.headers["Content-Type"] = "application/json"\n')
    f.close()
    return f.name


def csrf_cookie(port):
    """The form token a browser keeps from its first page and sends back
    with every later one."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=30) as res:
        for header in res.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name == "dongari_csrf":
                return rest.split(";")[0]
    raise RuntimeError("the login page set no form token")


def prepare(gen, as_of):
    """Starts dongari on a generated database; a member with a password and
    a club of theirs to read and write."""
    server = Server([str(DONGARI), "serve", "--bind", "127.0.0.1:{PORT}", "--as-of", as_of],
                    env=dongari_env(gen["db"]), cwd=gen["folder"])
    org = gen["organization"]
    admin = http(server.port, "POST", "/api/v1/auth/token", body={
        "employee_no": "9000001", "password": gen["password"], "organization": org})["token"]
    # The president of a club who is a member of no other, as most people
    # are: the personal pages then read as much at Seoul as in a district
    # (the first club's president at Seoul is in six clubs).
    for listed in http(server.port, "GET", "/api/v1/clubs?per_page=50", admin)["items"]:
        club = listed["id"]
        members = http(server.port, "GET", f"/api/v1/clubs/{club}/members", admin)["items"]
        president = next(m for m in members if m["role"] == "president")
        subprocess.run([str(DONGARI), "--organization", org, "user", "passwd", "--employee-no",
                        president["employee_no"], "--password-stdin"],
                       input=gen["password"] + "\n", text=True, env=dongari_env(gen["db"]),
                       cwd=gen["folder"], check=True, capture_output=True)
        member = http(server.port, "POST", "/api/v1/auth/token", body={
            "employee_no": president["employee_no"], "password": gen["password"],
            "organization": org})["token"]
        if http(server.port, "GET", "/api/v1/clubs?mine=true&per_page=1", member)["total"] == 1:
            break
    rounds = http(server.port, "GET", "/api/v1/evaluation/rounds", admin)["items"]
    # A catalog item and vouchers enough for every redemption of a run.
    item = http(server.port, "POST", "/api/v1/vouchers/catalog", admin,
                body={"kind": "book", "name": "부하 시험 도서", "price": 1})["id"]
    http(server.port, "POST", "/api/v1/ledger/adjustments", admin, body={
        "employee_no": president["employee_no"], "unit": "vouchers", "amount": 1000000,
        "counts_for": as_of[:10], "reason": "bench", "idempotency_key": f"bench-{item}"})
    return {"server": server, "admin": admin, "member": member, "club": club, "item": item,
            "member_id": president["employee_id"], "round": rounds[0]["id"] if rounds else "",
            "csrf": csrf_cookie(server.port)}


def one_office_round(gen, as_of, month):
    """The whole city in one office: its round of every club (4,000) with
    15 evaluators each. Times single requests as an administrator makes
    them: the standings' first page, compliance, then the confirmation."""
    ctx = prepare(gen, as_of)
    port, admin, round_id = ctx["server"].port, ctx["admin"], ctx["round"]

    def ms(method, path, body=None, times=1):
        return median_ms(port, method, path, admin, body, times)

    def made_and_kept(path):
        """The first answer, whose view the server makes, and the median of
        the next nine, answered from the view it keeps."""
        return ms("GET", path), ms("GET", path, times=9)

    standings = f"/api/v1/evaluation/rounds/{round_id}/standings"
    out = {
        "standings_ms": made_and_kept(standings),
        "compliance_ms": made_and_kept(f"/api/v1/reports/compliance?month={month}"),
    }
    out["clubs"] = http(port, "GET", standings, admin)["total"]
    out["confirm_ms"] = ms("POST", f"/api/v1/evaluation/rounds/{round_id}/confirm", body={})
    out["rss_mb"] = ctx["server"].rss_mb()
    ctx["server"].stop()
    return out


def last_month_of(today):
    return f"{today[:4]}-{int(today[5:7]) - 1:02d}" if today[5:7] != "01" else f"{int(today[:4]) - 1}-12"


def recognition(ctx, half):
    """Times a half's hours recognition as the administrator runs it: the
    proposal's first page, then the approval of everyone (once)."""
    port, admin = ctx["server"].port, ctx["admin"]
    started = time.monotonic()
    proposal = http(port, "GET", f"/api/v1/ledger/recognition/{half}?pending=true", admin, timeout=300)
    proposal_ms = (time.monotonic() - started) * 1000
    started = time.monotonic()
    approved = http(port, "POST", f"/api/v1/ledger/recognition/{half}/approve", admin, body={}, timeout=300)
    approve_ms = (time.monotonic() - started) * 1000
    return {"people": proposal["people"]["total"], "proposal_ms": proposal_ms,
            "granted": approved["people"], "approve_ms": approve_ms}


def endpoints(ctx, today):
    club, member, admin = ctx["club"], ctx["member"], ctx["admin"]
    bearer = lambda t: [f"Authorization: Bearer {t}"]
    # A signed-in browser's cookies: its session and its form token.
    browser = [f"Cookie: dongari_session={member}; dongari_csrf={ctx['csrf']}"]
    yesterday = time.strftime("%Y-%m-%d", time.localtime(time.mktime(time.strptime(today, "%Y-%m-%d")) - 86400))
    meeting = {"held_on": yesterday, "starts_at": "19:00", "ends_at": "20:30", "kind": "ad_hoc",
               "place": "소회의실", "topic": "부하 시험", "attendees": [ctx["member_id"]]}
    last_month = last_month_of(today)
    return [
        ("home page /", "/", browser, None, "read"),
        ("my ledger page", "/me/ledger", browser, None, "read"),
        ("GET /api/v1/me", "/api/v1/me", bearer(member), None, "read"),
        ("GET /api/v1/me/hours", "/api/v1/me/hours", bearer(member), None, "read"),
        ("GET /api/v1/clubs", "/api/v1/clubs", bearer(member), None, "read"),
        ("GET /api/v1/clubs/{id}", f"/api/v1/clubs/{club}", bearer(member), None, "read"),
        ("GET …/meetings", f"/api/v1/clubs/{club}/meetings", bearer(member), None, "read"),
        ("GET …/reports", f"/api/v1/clubs/{club}/reports", bearer(member), None, "read"),
        ("GET compliance", f"/api/v1/reports/compliance?month={last_month}", bearer(admin), None, "read"),
        ("GET standings", f"/api/v1/evaluation/rounds/{ctx['round']}/standings", bearer(admin), None, "read"),
        ("GET leaderboard (month)", "/api/v1/leaderboards/people", bearer(member), None, "read"),
        ("GET leaderboard (year)", f"/api/v1/leaderboards/people?period={today[:4]}", bearer(member), None, "read"),
        ("GET clubs' leaderboard", f"/api/v1/leaderboards/clubs?period={today[:4]}", bearer(member), None, "read"),
        ("POST …/meetings", f"/api/v1/clubs/{club}/meetings", bearer(member), lua(meeting), "write"),
        ("POST redemption", "/api/v1/me/vouchers/redemptions", bearer(member),
         lua({"item_id": ctx["item"]}), "write"),
    ]


def jobs_run(as_of, env, cwd):
    """`dongari jobs run` as cron starts it: (the whole process, the run
    itself as the command reports it), in ms."""
    started = time.monotonic()
    out = subprocess.run([str(DONGARI), "jobs", "run", "--as-of", as_of], env=env, cwd=cwd,
                         check=True, capture_output=True, text=True).stdout
    return (time.monotonic() - started) * 1000, float(re.search(r"in (\d+) ms", out).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per measurement")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of the three measurements of each endpoint, interleaved")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--as-of", default=time.strftime("%Y-%m-%d"),
                        help="the day the data is generated and served as of")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    build(args.skip_build)
    as_of = f"{args.as_of} 10:00"

    ceiling_db = WORK / "ceiling.db"
    ceiling_db.unlink(missing_ok=True)
    subprocess.run([str(CEILING), "seed", "--db", str(ceiling_db), "--rows", "100000"],
                   check=True, capture_output=True)
    ceiling = Server([str(CEILING), "serve", "--bind", "127.0.0.1:{PORT}", "--db", str(ceiling_db),
                      "--pool", "4", "--synchronous", "NORMAL"])
    select_lua = str(CEILING_SRC / "get_random.lua")
    insert_lua = str(CEILING_SRC / "post.lua")

    gens = {name: generate(scale, as_of) for name, scale in (("seoul", "seoul"), ("district", "0.003"))}
    ctxs = {name: prepare(gen, as_of) for name, gen in gens.items()}
    # The first half's club hours recognized first, as an office would have:
    # people then have ledger entries to show.
    year = int(args.as_of[:4])
    half = f"{year}H1" if int(args.as_of[5:7]) > 6 else f"{year - 1}H2"
    recognized = {name: recognition(ctx, half) for name, ctx in ctxs.items()}
    log(f"recognition {half}: {recognized}")
    rows = []
    for label, path, headers, script, kind in endpoints(ctxs["seoul"], args.as_of):
        district_path, district_headers = path, headers
        for key in ("club", "member", "admin", "round", "item"):
            district_path = district_path.replace(ctxs["seoul"][key], ctxs["district"][key])
            district_headers = [h.replace(ctxs["seoul"][key], ctxs["district"][key]) for h in district_headers]
        district_script = None
        if script:
            body = Path(script).read_text().replace(ctxs["seoul"]["club"], ctxs["district"]["club"]) \
                .replace(ctxs["seoul"]["member_id"], ctxs["district"]["member_id"]) \
                .replace(ctxs["seoul"]["item"], ctxs["district"]["item"])
            district_script = str(Path(script).with_suffix(".district.lua"))
            Path(district_script).write_text(body)
        runs = {
            "ref": (lambda: ceiling.measure("/", args.seconds, script=select_lua)) if kind == "read"
            else (lambda: ceiling.measure("/item", args.seconds, script=insert_lua)),
            "seoul": lambda: ctxs["seoul"]["server"].measure(path, args.seconds, headers, script),
            "district": lambda: ctxs["district"]["server"].measure(district_path, args.seconds,
                                                                   district_headers, district_script),
        }
        rounds = interleaved(runs, args.rounds)
        rows.append((label, kind, rounds))
        log(f"{label}: " + "; ".join(f"{r['seoul']['rps']:.0f} req/s, p99 {r['seoul']['p99_ms']:.1f} ms "
                                     f"(ceiling {r['ref']['rps']:.0f}, district {r['district']['rps']:.0f})"
                                     for r in rounds))

    # The leaderboards' target is per request: timed one at a time too.
    seoul = ctxs["seoul"]
    singles = [(label, median_ms(seoul["server"].port, "GET", path, seoul["member"]))
               for label, path, _, _, _ in endpoints(seoul, args.as_of) if "leaderboard" in label]
    rss = {name: ctx["server"].rss_mb() for name, ctx in ctxs.items()}
    starts = {name: ctx["server"].first_answer_ms for name, ctx in ctxs.items()}
    for ctx in ctxs.values():
        ctx["server"].stop()
    ceiling.stop()

    gen = gens["seoul"]
    env = dongari_env(gen["db"])
    jobs_first = jobs_run(as_of, env, gen["folder"])
    jobs_idle = jobs_run(as_of, env, gen["folder"])
    # The 6th of next month: this month's reports of every club are past due.
    year, month = int(args.as_of[:4]), int(args.as_of[5:7])
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    jobs_sweep = jobs_run(f"{year}-{month:02d}-06 10:00", env, gen["folder"])

    one = generate("seoul", as_of, offices=1)
    gens["seoul in one office"] = one
    big_round = one_office_round(one, as_of, last_month_of(args.as_of))
    log(f"4,000-club round: {big_round}")

    report = render(rows, singles, rss, starts, gens, jobs_first, jobs_idle, jobs_sweep, big_round,
                    (half, recognized["seoul"]), args)
    print(report)
    (ROOT / "bench" / "latest.md").write_text(report)


def render(rows, singles, rss, starts, gens, jobs_first, jobs_idle, jobs_sweep, big_round, recognized, args):
    out = [f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, "
           f"wrk -t2 -c64 -d{args.seconds}s, SQLite, release build; each figure the median of "
           f"{args.rounds} interleaved rounds (ratios taken within a round).", ""]
    for name, gen in gens.items():
        out.append(f"- {name}: {gen['summary']}")
    out += ["", "| endpoint | Seoul req/s | p99 ms (ceiling's) | vs ceiling | vs one district | errors "
            "| CPU µs per answer: Seoul, one district, ceiling |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for label, kind, rounds in rows:
        of = lambda name, field: median(r[name][field] for r in rounds)
        errors = sum(r[name]["non_2xx"] for r in rounds for name in ("seoul", "district"))
        to_ref = median(r["seoul"]["rps"] / r["ref"]["rps"] for r in rounds)
        to_district = median(r["seoul"]["rps"] / r["district"]["rps"] for r in rounds)
        out.append(f"| {label} | {of('seoul', 'rps'):.0f} | {of('seoul', 'p99_ms'):.1f} ({of('ref', 'p99_ms'):.1f}) | "
                   f"{to_ref:.0%} of {'SELECT' if kind == 'read' else 'INSERT'} "
                   f"({of('ref', 'rps'):.0f}) | {to_district:.0%} | {errors} "
                   f"| {of('seoul', 'cpu_us'):.0f}, {of('district', 'cpu_us'):.0f}, {of('ref', 'cpu_us'):.0f} |")
    out += ["",
            f"- first answer after start: Seoul {starts['seoul']:.0f} ms, one district {starts['district']:.0f} ms",
            "- Seoul, one request at a time (median of 9): "
            + ", ".join(f"{label} {ms:.1f} ms" for label, ms in singles),
            f"- peak RSS under load: Seoul {rss['seoul']:.0f} MB, one district {rss['district']:.0f} MB",
            f"- jobs run (Seoul), the run itself (with the process's start): first run {jobs_first[1]:.0f} ms "
            f"({jobs_first[0]:.0f} ms), nothing to do {jobs_idle[1]:.0f} ms ({jobs_idle[0]:.0f} ms), "
            f"the 6th: every club's month swept and reminded {jobs_sweep[1]:.0f} ms ({jobs_sweep[0]:.0f} ms)",
            f"- the city in one office, its round of {big_round['clubs']} clubs with 15 evaluators each "
            f"(one request at a time; made, then kept: median of 9): standings "
            f"{big_round['standings_ms'][0]:.0f} ms, then {big_round['standings_ms'][1]:.1f} ms; compliance "
            f"{big_round['compliance_ms'][0]:.0f} ms, then {big_round['compliance_ms'][1]:.1f} ms; "
            f"confirmation {big_round['confirm_ms']:.0f} ms, "
            f"RSS {big_round['rss_mb']:.0f} MB",
            f"- hours recognition of {recognized[0]} at the city hall ({recognized[1]['people']} people with "
            f"something to grant): proposal {recognized[1]['proposal_ms']:.0f} ms, approval of everyone "
            f"{recognized[1]['approve_ms']:.0f} ms ({recognized[1]['granted']} movements)",
            ""]
    return "\n".join(out)


if __name__ == "__main__":
    main()

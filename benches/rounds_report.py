#!/usr/bin/env python3
"""Analysis half of benches/rounds.sh (issue 14, item 1); standard library only.

    rounds_report.py calibrate
        Runs a fixed CPU-bound loop three times and prints the smallest CPU
        time it took, in ms. rounds.sh runs it pinned to the servers' core at
        the start of every round: the same work every time, so a change in
        its time is a change in the machine's speed, not in any server.

    rounds_report.py report DIR [--speed-pct 20] [--threads 0]
        Reads DIR/raw.tsv and DIR/probes.tsv (written by rounds.sh), flags the
        rounds where the machine changed speed, writes DIR/summary.tsv and
        prints the readable table.

A round is flagged when its calibration time, or the ceiling's CPU per call
in that round (ratio to the run's median for each scenario, geometric mean
over the scenarios), is more than --speed-pct % away from the run's median.
Medians are then given twice: over all rounds, and over the unflagged
("steady") rounds only.
"""

import csv
import math
import os
import statistics
import sys
import time


def calibrate():
    """Smallest CPU time (ms) of three runs of a fixed mixed workload.

    Integer arithmetic, a dict and a list: interpreter dispatch, branches and
    memory traffic within the caches, as a server's hot loop has. About
    60-100 ms per run on this VM.
    """
    best = None
    for _ in range(3):
        t0 = time.process_time()
        acc = 0
        table = {}
        items = []
        for i in range(500_000):
            acc = (acc * 31 + i) & 0xFFFFFFFF
            table[acc & 0x3FF] = i
            items.append(acc)
            if len(items) > 512:
                items.clear()
        spent = (time.process_time() - t0) * 1e3
        best = spent if best is None else min(best, spent)
    print(f"{best:.1f}")


def num(value):
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def quartiles(values):
    """(min, q1, median, q3, max) of a non-empty list."""
    s = sorted(values)
    if len(s) == 1:
        return s[0], s[0], s[0], s[0], s[0]
    q = statistics.quantiles(s, n=4, method="inclusive")
    return s[0], q[0], statistics.median(s), q[2], s[-1]


def read_tsv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def fmt(v, digits=0):
    if v is None:
        return "-"
    return f"{v:,.{digits}f}"


def report(out_dir, speed_pct, threads):
    rows = read_tsv(os.path.join(out_dir, "raw.tsv"))
    probes = [p for p in read_tsv(os.path.join(out_dir, "probes.tsv"))]
    limit = speed_pct / 100.0

    peers, scenarios, rounds = [], [], []
    for r in rows:
        if r["peer"] not in peers:
            peers.append(r["peer"])
        if r["scenario"] not in scenarios:
            scenarios.append(r["scenario"])
        if r["round"] not in rounds:
            rounds.append(r["round"])
    cell = {(r["round"], r["peer"], r["scenario"]): r for r in rows}

    # ---- speed probes ------------------------------------------------------
    calib = {p["round"]: num(p["calib_ms"]) for p in probes}
    calib_vals = [calib[r] for r in rounds if calib.get(r) is not None]
    calib_med = statistics.median(calib_vals) if calib_vals else None
    ceil_ratio = {}
    if "ceiling" in peers:
        med = {}
        for s in scenarios:
            v = [num(cell[(r, "ceiling", s)]["cpu_us_per_call"]) for r in rounds
                 if (r, "ceiling", s) in cell]
            v = [x for x in v if x]
            med[s] = statistics.median(v) if v else None
        for r in rounds:
            logs = []
            for s in scenarios:
                c = cell.get((r, "ceiling", s))
                x = num(c["cpu_us_per_call"]) if c else None
                if x and med[s]:
                    logs.append(math.log(x / med[s]))
            if logs:
                ceil_ratio[r] = math.exp(sum(logs) / len(logs))
    flagged = {}
    for r in rounds:
        why = []
        if calib.get(r) is not None and calib_med:
            ratio = calib[r] / calib_med
            if abs(ratio - 1) > limit:
                why.append(f"calib {ratio:.2f}x")
        if r in ceil_ratio and abs(ceil_ratio[r] - 1) > limit:
            why.append(f"ceiling {ceil_ratio[r]:.2f}x")
        if why:
            flagged[r] = ", ".join(why)
    steady = [r for r in rounds if r not in flagged]

    # ---- per peer and scenario ---------------------------------------------
    def values(peer, scen, field, use):
        out = []
        for r in use:
            c = cell.get((r, peer, scen))
            if c is None:
                continue
            v = num(c.get(field))
            if v is not None:
                out.append(v)
        return out

    def paired_ratio(peer, scen, field, use):
        """Median over rounds of peer/tonic in the same round."""
        out = []
        for r in use:
            a, b = cell.get((r, peer, scen)), cell.get((r, "tonic", scen))
            if a is None or b is None:
                continue
            x, y = num(a[field]), num(b[field])
            if x is not None and y:
                out.append(x / y)
        return statistics.median(out) if out else None

    summary = []
    for which, use in (("all", rounds), ("steady", steady)):
        for s in scenarios:
            base_rps = values("tonic", s, "rps", use)
            base_cpu = values("tonic", s, "cpu_us_per_call", use)
            base_rps = statistics.median(base_rps) if base_rps else None
            base_cpu = statistics.median(base_cpu) if base_cpu else None
            for p in peers:
                rps = values(p, s, "rps", use)
                cpu = values(p, s, "cpu_us_per_call", use)
                if not rps or not cpu:
                    continue
                qr, qc = quartiles(rps), quartiles(cpu)
                med = lambda f: (statistics.median(values(p, s, f, use))
                                 if values(p, s, f, use) else None)
                all_ok = all(cell[(r, p, s)]["all_ok"] == "yes" for r in use
                             if (r, p, s) in cell)
                summary.append({
                    "rounds": which, "scenario": s, "peer": p, "n": len(rps),
                    "rps_min": qr[0], "rps_q1": qr[1], "rps_med": qr[2],
                    "rps_q3": qr[3], "rps_max": qr[4],
                    "cpu_min": qc[0], "cpu_q1": qc[1], "cpu_med": qc[2],
                    "cpu_q3": qc[3], "cpu_max": qc[4],
                    "user_med": med("user_us_per_call"), "sys_med": med("sys_us_per_call"),
                    "p50_med": med("p50_us"), "p99_med": med("p99_us"),
                    "client_med": med("client_cpu_pct"), "other_med": med("other_cpu_pct"),
                    "wakeups_med": med("wakeups_per_call"), "preempt_med": med("preempt_per_call"),
                    "rss_max": max(values(p, s, "rss_mb", use) or [float("nan")]),
                    "rps_x_tonic": qr[2] / base_rps if base_rps else None,
                    "cpu_x_tonic": qc[2] / base_cpu if base_cpu else None,
                    "rps_x_tonic_paired": paired_ratio(p, s, "rps", use),
                    "cpu_x_tonic_paired": paired_ratio(p, s, "cpu_us_per_call", use),
                    "all_ok": "yes" if all_ok else "NO",
                })

    fields = list(summary[0].keys()) if summary else []
    with open(os.path.join(out_dir, "summary.tsv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, delimiter="\t")
        w.writeheader()
        for row in summary:
            w.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in row.items()})

    # ---- the readable table ------------------------------------------------
    flavour = "current_thread" if threads == "0" else f"multi_thread, {threads} worker(s)"
    print(f"== {len(rounds)} interleaved rounds, every server on {flavour} (--threads {threads})")
    print()
    print("Speed probes per round (x = ratio to the run's median; flagged when off by more "
          f"than {speed_pct:g}%):")
    print(f"{'round':>5} {'calib ms':>9} {'x':>5} {'ceiling cpu x':>13} {'other% med':>10} "
          f"{'load1':>5}  " + "  ".join(f"ours/tonic {s}" for s in scenarios if "ours" in peers and "tonic" in peers)
          + "  flag")
    load1 = {p["round"]: p["load1"] for p in probes}
    for r in rounds:
        others = [num(c["other_cpu_pct"]) for k, c in cell.items() if k[0] == r]
        others = [o for o in others if o is not None]
        ratios = []
        if "ours" in peers and "tonic" in peers:
            for s in scenarios:
                a, b = cell.get((r, "ours", s)), cell.get((r, "tonic", s))
                x = num(a["rps"]) / num(b["rps"]) if a and b and num(a["rps"]) and num(b["rps"]) else None
                ratios.append(f"{fmt(x, 2):>{len('ours/tonic ' + s)}}")
        cx = calib[r] / calib_med if calib.get(r) and calib_med else None
        print(f"{r:>5} {fmt(calib.get(r), 1):>9} {fmt(cx, 2):>5} {fmt(ceil_ratio.get(r), 2):>13} "
              f"{fmt(statistics.median(others) if others else None):>10} {load1.get(r, '-'):>5}  "
              + "  ".join(ratios) + ("  FLAGGED: " + flagged[r] if r in flagged else ""))
    if "end" in calib and calib["end"] is not None and calib_med:
        print(f"{'end':>5} {fmt(calib['end'], 1):>9} {fmt(calib['end'] / calib_med, 2):>5}")
    print(f"flagged rounds: {len(flagged)} of {len(rounds)}"
          + (f" ({', '.join(flagged)})" if flagged else " -- the machine held one speed"))
    print()

    for which in ("all", "steady"):
        rows_ = [x for x in summary if x["rounds"] == which]
        if which == "steady":
            if not flagged:
                continue
            if not steady:
                print("(no steady rounds: every round was flagged)")
                continue
        print(f"Medians over {'all ' + str(len(rounds)) if which == 'all' else str(len(steady)) + ' steady'}"
              " rounds [min - max]; x tonic = ratio of the medians (same-round ratios' median):")
        print(f"{'scenario':<10} {'peer':<8} {'calls/s':>9} {'[min - max]':>19} {'x tonic':>13} "
              f"{'cpu us/call':>11} {'[min - max]':>13} {'x tonic':>13} {'usr':>6} {'sys':>5} "
              f"{'p50 us':>7} {'p99 us':>7} {'client%':>7} {'ok':>3}")
        for x in rows_:
            rx = (f"{fmt(x['rps_x_tonic'], 2)} ({fmt(x['rps_x_tonic_paired'], 2)})"
                  if x["peer"] != "tonic" else "1")
            cx = (f"{fmt(x['cpu_x_tonic'], 2)} ({fmt(x['cpu_x_tonic_paired'], 2)})"
                  if x["peer"] != "tonic" else "1")
            print(f"{x['scenario']:<10} {x['peer']:<8} {fmt(x['rps_med']):>9} "
                  f"{'[' + fmt(x['rps_min']) + ' - ' + fmt(x['rps_max']) + ']':>19} {rx:>13} "
                  f"{fmt(x['cpu_med'], 2):>11} "
                  f"{'[' + fmt(x['cpu_min'], 2) + ' - ' + fmt(x['cpu_max'], 2) + ']':>13} {cx:>13} "
                  f"{fmt(x['user_med'], 2):>6} {fmt(x['sys_med'], 2):>5} {fmt(x['p50_med']):>7} "
                  f"{fmt(x['p99_med']):>7} {fmt(x['client_med']):>7} {x['all_ok']:>3}")
        print()
    rows_ = [x for x in summary if x["rounds"] == "all"]
    print("Per call, medians over all rounds: wake-ups = voluntary context switches (all threads: "
          "a sleep, then a wake-up); preempted = involuntary ones (the core was wanted elsewhere):")
    print(f"{'scenario':<10} {'peer':<8} {'wake-ups':>9} {'preempted':>9} {'max RSS MB':>10}")
    for x in rows_:
        print(f"{x['scenario']:<10} {x['peer']:<8} {fmt(x['wakeups_med'], 4):>9} "
              f"{fmt(x['preempt_med'], 4):>9} {fmt(x['rss_max'], 1):>10}")
    print()
    print("(calls/s from h2load; cpu us/call = server CPU, all threads, from schedstat; usr/sys from "
          "/proc/PID/stat, 10 ms ticks, medians; p50/p99 from h2load's log; client% near 100 means "
          "h2load set the pace; other% = CPU used by the rest of the machine meanwhile, % of a core)")


def main(argv):
    if len(argv) >= 2 and argv[1] == "calibrate":
        calibrate()
        return 0
    if len(argv) >= 3 and argv[1] == "report":
        speed, threads = 20.0, "0"
        rest = argv[3:]
        while rest:
            if rest[0] == "--speed-pct" and len(rest) > 1:
                speed = float(rest[1])
            elif rest[0] == "--threads" and len(rest) > 1:
                threads = rest[1]
            else:
                print(__doc__, file=sys.stderr)
                return 2
            rest = rest[2:]
        report(argv[2], speed, threads)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

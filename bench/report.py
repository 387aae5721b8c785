"""The one table bench/run.py prints: each measurement against its target in issue 7."""

# The targets of issue 7. Ratios are to /healthz/live measured in the same run.
TARGET_EVENT_RATIO = 0.25
TARGET_SIGNUP_GET_RATIO = 0.15
TARGET_SIGNUP_POST_RATIO = 0.10
TARGET_POST_P99_OVER_P50 = 2.0
TARGET_EXPORT_OVER_COPY = 3.0
TARGET_EXPORT_MEMORY_MB = 20.0
TARGET_ADMIN_GROWTH = 1.5
TARGET_LIGHTHOUSE_SCORE = 100
TARGET_PAGE_BYTES = 100_000


def table_rows(results: dict) -> list[tuple[str, str, str, bool | None]]:
    """Return (metric, value, target, met) rows for whatever was measured."""
    rows: list[tuple[str, str, str, bool | None]] = []
    seed = results.get("seed", {})
    if "grow" in seed:
        seconds = seed["history"]["seconds"] + seed["grow"]["seconds"]
        rows.append(("seed 100,000 historic attendees", f"{seconds:.1f} s", "< 60 s", seconds < 60))

    load = results.get("load", {})
    queries = results.get("queries", {}).get("at_100k", {})
    baseline = load.get("baseline")
    if baseline:
        rows.append(
            (
                "GET /healthz/live (baseline)",
                f"{baseline['rps']:.0f} req/s, p50 {baseline['p50_ms']:.1f} ms, "
                f"p99 {baseline['p99_ms']:.1f} ms",
                "",
                None,
            )
        )
    for name, label, target in [
        ("event_page", "GET event page", TARGET_EVENT_RATIO),
        ("signup_get", "GET sign-up page", TARGET_SIGNUP_GET_RATIO),
        ("signup_post", "POST sign-up of three", TARGET_SIGNUP_POST_RATIO),
    ]:
        measured = load.get(name)
        if not measured or not baseline:
            continue
        ratio = measured["ratio"]
        count = queries.get(name, {}).get("queries", "?")
        rows.append(
            (
                f"{label}: req/s (ratio to baseline)",
                f"{measured['rps']:.0f} ({ratio:.3f})",
                f">= {target:.2f}",
                ratio >= target and measured["errors"] == 0 and measured["unexpected"] == 0,
            )
        )
        rows.append(
            (
                f"{label}: p50 / p99, queries per request",
                f"{measured['p50_ms']:.1f} / {measured['p99_ms']:.1f} ms, {count} queries",
                "",
                None,
            )
        )
    post = load.get("signup_post")
    if post:
        spread = post["p99_ms"] / post["p50_ms"] if post["p50_ms"] else float("inf")
        rows.append(
            (
                "POST sign-up: p99 / p50",
                f"{spread:.2f}",
                f"< {TARGET_POST_P99_OVER_P50:.0f}",
                spread < TARGET_POST_P99_OVER_P50,
            )
        )
        check = post["verification"]
        rows.append(
            (
                "POST sign-up: rows created, answers not 302",
                f"{check['created']} rows for {post['redirects']} × 302 × 3, "
                f"{post['unexpected']} other",
                "all rows, 0 other",
                check["ok"],
            )
        )

    export = results.get("export")
    if export:
        copy = export["baseline"].get("copy")
        rows.append(
            (
                "export 100k: seconds, rows/s",
                f"{export['seconds']:.2f} s, {export['rows_per_second']:,.0f} rows/s "
                f"({export['rows']:,} rows)",
                "",
                None,
            )
        )
        if copy:
            ratio = export["seconds"] / copy["seconds"]
            rows.append(
                (
                    "export 100k / PostgreSQL COPY",
                    f"{ratio:.2f} ({copy['seconds']:.2f} s COPY)",
                    f"<= {TARGET_EXPORT_OVER_COPY:.0f}",
                    ratio <= TARGET_EXPORT_OVER_COPY,
                )
            )
        else:
            rows.append(("export 100k / COPY", "no COPY on SQLite", "", None))
        rows.append(
            (
                "export 100k: worker peak memory growth",
                f"{export['peak_growth_mb']:.1f} MB",
                f"< {TARGET_EXPORT_MEMORY_MB:.0f} MB",
                export["peak_growth_mb"] < TARGET_EXPORT_MEMORY_MB,
            )
        )
        query = export["baseline"]["query_seconds"]
        rows.append(
            (
                "export 100k: first byte vs the query alone",
                f"{export['first_byte_seconds']:.3f} s vs {query:.3f} s",
                "first byte sooner",
                export["first_byte_seconds"] < query,
            )
        )

    admin = results.get("admin", {})
    small, large = admin.get("at_1k"), admin.get("at_100k")
    all_queries = results.get("queries", {})
    if small and large:
        for name, label in [("changelist", "admin attendee list"), ("overview", "event overview")]:
            growth = large[name]["median_ms"] / small[name]["median_ms"]
            rows.append(
                (
                    f"{label}: ms at 1k -> 100k (growth)",
                    f"{small[name]['median_ms']:.0f} -> {large[name]['median_ms']:.0f} "
                    f"({growth:.2f}×)",
                    f"<= {TARGET_ADMIN_GROWTH}×",
                    growth <= TARGET_ADMIN_GROWTH,
                )
            )
    for name, label in [
        ("admin_changelist", "admin attendee list"),
        ("admin_overview", "event overview"),
        ("admin_export", "export"),
    ]:
        at_1k = all_queries.get("at_1k", {}).get(name, {}).get("queries")
        at_100k = all_queries.get("at_100k", {}).get(name, {}).get("queries")
        if at_1k is not None and at_100k is not None:
            rows.append(
                (
                    f"{label}: queries at 1k / 100k",
                    f"{at_1k} / {at_100k}",
                    "equal",
                    at_1k == at_100k,
                )
            )

    for page, audit in (results.get("lighthouse") or {}).items():
        if "error" in audit:
            rows.append((f"Lighthouse {page}", "did not run", "", None))
            continue
        for category, score in audit["scores"].items():
            lost = [
                item.split(": ", 1)[1] for item in audit["lost_points"] if item.startswith(category)
            ]
            rows.append(
                (
                    f"Lighthouse {page}: {category}",
                    f"{score} ({', '.join(lost)})" if lost and score != 100 else str(score),
                    str(TARGET_LIGHTHOUSE_SCORE),
                    score == TARGET_LIGHTHOUSE_SCORE,
                )
            )
        images = audit.get("image_bytes", 0)
        rows.append(
            (
                f"Lighthouse {page}: bytes transferred"
                + (f" (images {images / 1000:.1f} kB)" if images else ""),
                f"{audit['total_bytes'] / 1000:.1f} kB",
                f"< {TARGET_PAGE_BYTES // 1000} kB",
                audit["total_bytes"] < TARGET_PAGE_BYTES,
            )
        )
    return rows


def print_table(rows: list[tuple[str, str, str, bool | None]]) -> None:
    marks = {True: "yes", False: "NO", None: "-"}
    table = [("metric", "value", "target", "met?")] + [
        (metric, value, target or "-", marks[met]) for metric, value, target, met in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    rule = "-+-".join("-" * w for w in widths)
    for number, row in enumerate(table):
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if number == 0:
            print(rule)

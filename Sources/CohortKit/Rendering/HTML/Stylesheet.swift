/// The report's inline CSS: light, print-friendly, readable on a phone (wide tables and heatmaps
/// scroll inside their wrapper) and not relying on colour alone.
enum Stylesheet {
    static let css = """
        * { box-sizing: border-box; }
        body { margin: 0; background: #ffffff; color: #1a1a1a; line-height: 1.5;
          font-family: system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic", sans-serif; }
        header, nav, main, footer { max-width: 1120px; margin: 0 auto; padding: 0 16px; }
        header { padding-top: 24px; }
        h1 { font-size: 1.75rem; margin: 0 0 4px; }
        h2 { font-size: 1.35rem; margin: 2.5rem 0 .75rem; padding-bottom: 4px; border-bottom: 2px solid #0072B2; }
        h3 { font-size: 1.1rem; margin: 1.75rem 0 .5rem; }
        h4 { font-size: 1rem; margin: 1.25rem 0 .4rem; }
        .meta, .note { color: #4d4d4d; font-size: .9rem; }
        /* Read by screen readers, not shown: which chart a "Data table" disclosure belongs to. */
        .vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        nav ol { columns: 2 14rem; padding-left: 1.4rem; margin: .25rem 0; }
        nav a { color: #0060a0; }
        .toc-title { font-size: 1rem; border: 0; margin: 1rem 0 0; }
        .table-wrap, .chart-wrap { overflow-x: auto; max-width: 100%; }
        .chart-wrap svg { display: block; max-width: 100%; height: auto; }
        /* Wide tables and, on phones, heatmaps scroll inside their box; shadows at the edges show
           there is more to see (they appear only when the box can scroll). */
        .table-wrap, .chart-wrap.scroll {
          background:
            linear-gradient(to right, #ffffff 30%, rgba(255,255,255,0)) left center / 40px 100% no-repeat local,
            linear-gradient(to left, #ffffff 30%, rgba(255,255,255,0)) right center / 40px 100% no-repeat local,
            radial-gradient(farthest-side at 0 50%, rgba(0,0,0,.28), rgba(0,0,0,0)) left center / 14px 100% no-repeat scroll,
            radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.28), rgba(0,0,0,0)) right center / 14px 100% no-repeat scroll;
        }
        .scroll-hint { display: none; color: #4d4d4d; font-size: .8rem; margin: .1rem 0 0; }
        /* A heatmap is two SVGs side by side, its row labels and its cells: each box's flex weight
           is its drawn width, so on a wide screen the pair scales as one chart. */
        .heatmap { display: flex; align-items: flex-start; max-width: var(--heatmap-width); }
        .heatmap > div { flex: var(--heatmap-grow) 1 0px; min-width: 0; }
        .chart-wrap .heatmap svg { width: 100%; }
        /* Charts come drawn twice: wide for desktops, narrow for phones. */
        .narrow-only { display: none; }
        figure { margin: .75rem 0 .25rem; }
        figcaption { color: #4d4d4d; font-size: .875rem; margin-top: .25rem; }
        table { border-collapse: collapse; font-size: .875rem; margin: .5rem 0 1rem; }
        caption { text-align: left; font-weight: 600; padding: 4px 0; }
        th, td { padding: 4px 10px; border-bottom: 1px solid #dddddd; text-align: left; vertical-align: top; }
        thead th { background: #f2f4f7; border-bottom: 2px solid #8c8c8c; }
        th[scope="row"] { font-weight: normal; white-space: nowrap; }
        .num, .nums td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .8rem; word-break: break-all; }
        tr.weighted th, tr.weighted td { font-weight: 700; border-top: 2px solid #8c8c8c; }
        details { margin: .25rem 0 1rem; }
        summary { cursor: pointer; color: #0060a0; }
        .kpi-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 12px; }
        .kpi { border: 1px solid #cccccc; border-left: 6px solid #8c8c8c; border-radius: 6px; padding: 10px 12px; }
        .kpi h3 { font-size: .9rem; font-weight: 600; margin: 0; color: #333333; }
        .kpi-value { font-size: 1.6rem; font-weight: 700; margin: 2px 0; font-variant-numeric: tabular-nums; }
        .kpi-band { margin: 0; font-size: .875rem; }
        .kpi details { margin: .25rem 0 0; font-size: .85rem; }
        .band-good { border-left-color: #009E73; }
        .band-ok { border-left-color: #B07700; }
        .band-bad { border-left-color: #D55E00; }
        .band-good .kpi-band { color: #006b4f; }
        .band-ok .kpi-band { color: #8a5a00; }
        .band-bad .kpi-band { color: #a33f00; }
        .pass { color: #006b4f; font-weight: 600; white-space: nowrap; }
        .fail { color: #a33f00; font-weight: 600; white-space: nowrap; }
        td.keep { white-space: nowrap; }
        /* Text from input data can be one long word (a channel name, a path): it breaks where it
           must rather than widen the page. Ordinary words still break only at spaces. */
        h1, h3, h4, p, li, summary, figcaption, caption { overflow-wrap: anywhere; }
        /* A table cell holding such a word wraps it too, keeping some width, so the numbers
           beside it stay in view; a cell of ordinary words keeps its usual layout. */
        th.wrap, td.wrap { white-space: normal; overflow-wrap: anywhere; min-width: 8rem; }
        footer { margin-top: 3rem; padding-bottom: 2rem; color: #4d4d4d; font-size: .85rem; border-top: 1px solid #cccccc; }
        @media (max-width: 600px) {
          h1 { font-size: 1.4rem; }
          nav ol { columns: 1; }
          th, td { padding: 4px 6px; }
          /* Long row headers (metric names) wrap, so short tables fit without scrolling. */
          th[scope="row"] { white-space: normal; min-width: 7rem; }
          /* Heatmaps keep their natural size (11 px numbers) and scroll sideways. */
          .chart-wrap.scroll svg { max-width: none; }
          /* ...and keep their row labels in view while the cells scroll under them. */
          .heatmap { max-width: none; width: max-content; }
          .heatmap > div { flex: none; width: var(--heatmap-natural); }
          .heatmap-labels { position: sticky; left: 0; z-index: 1; background: #ffffff;
            box-shadow: 6px 0 6px -6px rgba(0,0,0,.35); }
          .wide-only { display: none; }
          .narrow-only { display: block; }
          .scroll-hint { display: block; }
          .kpi-grid { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; }
          .kpi { padding: 6px 8px; border-left-width: 4px; }
          .kpi h3 { font-size: .8rem; }
          .kpi-value { font-size: 1.2rem; }
          .kpi-band, .kpi details { font-size: .75rem; }
        }
        @media print {
          @page { margin: 14mm; }
          body { font-size: 10pt; }
          nav { display: none; }
          header, main, footer { max-width: none; padding: 0; }
          main > section { break-before: page; }
          main > section:first-child { break-before: auto; }
          h2, h3, h4 { break-after: avoid; }
          figure, .kpi, tr { break-inside: avoid; }
          .table-wrap, .chart-wrap { overflow: visible; }
          .chart-wrap.scroll svg { max-width: 100%; }
          .wide-only { display: block; }
          .narrow-only, .scroll-hint { display: none; }
          .table-wrap, .chart-wrap.scroll { background: none; }
          summary { color: #1a1a1a; }
        }
        """
}

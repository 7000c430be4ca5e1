/** The report page's CSS, inlined in its <style>: plain, readable, printable. */
export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --tint: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink); font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 32px 24px 64px; }
h1 { font-size: 28px; margin: 0 0 12px; }
h2 { font-size: 21px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 17px; margin: 28px 0 6px; }
header p { max-width: 780px; }
.scale { color: var(--muted); }
code { font: 13px ui-monospace, Menlo, Consolas, monospace; background: var(--tint); padding: 1px 4px; border-radius: 4px; }
.table { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--tint); font-weight: 600; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fbfcfd; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
table.runs td:first-child { font-family: ui-monospace, Menlo, Consolas, monospace; }
table.verdicts td:nth-child(2) { min-width: 170px; }
table.verdicts td:nth-child(4) { min-width: 200px; }
table.left-out td:nth-child(5) { white-space: nowrap; }
table.verdicts td:nth-child(5), table.verdicts td:nth-child(6) { min-width: 260px; }
table.verdicts td { font-size: 12px; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: 13px; color: var(--muted); margin: 12px 0 0; }
dl.provenance dt { font-weight: 600; }
dl.provenance dd { margin: 0; overflow-wrap: anywhere; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 600; white-space: nowrap; }
.verdict.holds { background: #dafbe1; color: #116329; }
.verdict.does-not-hold { background: #ffebe9; color: #a40e26; }
.verdict.inconclusive { background: #fff8c5; color: #7d4e00; }
figure { margin: 24px 0; }
figure.chart { overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figure.image img { max-width: 100%; height: auto; image-rendering: pixelated; border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: 13px; max-width: 780px; margin-top: 6px; }
`;

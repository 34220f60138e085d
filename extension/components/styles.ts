/**
 * The badges' styles: one constructed stylesheet adopted by every row's shadow root (mount.ts). Text
 * colours are checked against their backgrounds at ≥ 4.5:1 (WCAG AA): the green button is #1f7a14
 * under white text (5.4:1; QuickBooks' own #2ca01c is 3.4:1), the chips' words 6.6–7.9:1. The row
 * chip never wraps and never grows past a short phrase: details live in the popover, which sits in
 * the top layer (the Popover API) so the host table's columns never widen for it.
 */
export const BADGE_CSS = `
:host { all: initial; }
.tb { font: 12px/1.3 -apple-system, "Segoe UI", Roboto, sans-serif; display: inline-flex; align-items: center; gap: 6px; color: #393a3d; }
.tb-chip { display: inline-flex; align-items: center; gap: 5px; max-width: 22em; border-radius: 12px; padding: 2px 9px 2px 3px; border: 1px solid #d6d6d6; background: #f1f1f1; color: #4a4a4a; font: inherit; white-space: nowrap; cursor: pointer; text-decoration: none; }
.tb-chip > .tb-label { overflow: hidden; text-overflow: ellipsis; }
.tb-green .tb-chip { background: #e8f5e9; border-color: #a5d6a7; color: #1b5e20; }
.tb-red .tb-chip { background: #fdecea; border-color: #f5a39b; color: #8e1c12; }
.tb-chip:hover { filter: brightness(.97); }
.tb-chip:focus-visible, .tb-btn:focus-visible, .tb-link:focus-visible, .tb-pop a:focus-visible, .tb-pop summary:focus-visible, .tb-x:focus-visible, .tb-title:focus-visible { outline: 2px solid #0066aa; outline-offset: 1px; }
.tb-ic { width: 16px; height: 16px; flex: none; border-radius: 50%; background: #8d9096; color: #fff; font: 700 8px/16px Arial, sans-serif; text-align: center; }
.tb-ic::before { content: "qb"; }
.tb-green .tb-ic { background: #2ca01c; }
.tb-red .tb-ic { background: #d52b1e; }
.tb-ic.tb-spin { width: 10px; height: 10px; margin: 1px; border: 2px solid #bbb; border-top-color: #555; background: none; animation: tb-spin .8s linear infinite; }
.tb-ic.tb-spin::before { content: none; }
.tb-btn .tb-ic { background: #fff; color: #1f7a14; }
@keyframes tb-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .tb-ic.tb-spin { animation: none; border-top-color: #bbb; border-right-color: #555; } }
.tb-sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.tb-btn { font: 600 13px/1 -apple-system, "Segoe UI", Roboto, sans-serif; padding: 7px 12px; border-radius: 4px; border: 1px solid #1f7a14; background: #1f7a14; color: #fff; cursor: pointer; display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; text-decoration: none; }
.tb-btn[aria-disabled="true"] { opacity: .8; cursor: progress; }
.tb-btn--quiet { background: #fff; color: #1f7a14; }
.tb-btn--quiet .tb-ic { background: #2ca01c; color: #fff; }
.tb-link { background: none; border: none; padding: 0; font: inherit; color: #0066aa; text-decoration: underline; cursor: pointer; text-align: start; }
.tb-link[aria-disabled="true"] { cursor: progress; }
.tb-note { background: #fff8e1; border: 1px solid #ffe082; border-radius: 6px; padding: 4px 8px; color: #6d4c00; margin: 6px 0 0; }
.tb-error { color: #8e1c12; margin: 6px 0 0; }
.tb-pop { position: fixed; inset: auto; margin: 0; z-index: 2147483000; box-sizing: border-box; width: max-content; max-width: min(26rem, calc(100vw - 16px)); max-height: calc(100vh - 16px); overflow: auto; padding: 12px 14px; border: 1px solid #c9c9c9; border-radius: 8px; background: #fff; color: #393a3d; box-shadow: 0 6px 24px rgba(0, 0, 0, .18); font: 13px/1.45 -apple-system, "Segoe UI", Roboto, sans-serif; text-align: start; white-space: normal; }
.tb-pop[hidden] { display: none; }
.tb-pop .tb-title { font-size: 14px; font-weight: 600; line-height: 1.3; margin: 0 24px 4px 0; }
.tb-pop p { margin: 4px 0; }
.tb-pop ul { margin: 6px 0; padding: 0 0 0 18px; }
.tb-pop li { margin: 2px 0; }
.tb-pop a { color: #0066aa; }
.tb-sub { color: #5f6066; }
.tb-actions { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; margin: 10px 0 0; }
.tb-x { position: absolute; top: 6px; inset-inline-end: 6px; width: 24px; height: 24px; border: none; border-radius: 4px; background: none; color: #5f6066; font: 18px/1 Arial, sans-serif; cursor: pointer; }
.tb-pop details { margin: 8px 0 0; }
.tb-pop summary { cursor: pointer; color: #5f6066; }
.tb-pop pre { margin: 4px 0 0; padding: 6px 8px; background: #f6f6f6; border-radius: 4px; white-space: pre-wrap; word-break: break-word; font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; }
`;

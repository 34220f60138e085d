/** The badges' and buttons' styles, inside each mount's shadow root. */
export const BADGE_CSS = `
:host { all: initial; }
.tb { font: 12px/1.3 -apple-system, "Segoe UI", Roboto, sans-serif; display: inline-flex; align-items: center; gap: 6px; flex-wrap: wrap; color: #393a3d; }
.tb-main { display: inline-flex; align-items: center; gap: 5px; border-radius: 12px; padding: 2px 9px 2px 3px; border: 1px solid transparent; background: none; font: inherit; color: inherit; text-decoration: none; cursor: default; }
a.tb-main, button.tb-main { cursor: pointer; }
.tb-green .tb-main { background: #e8f5e9; border-color: #a5d6a7; color: #1b5e20; }
.tb-grey .tb-main { background: #f1f1f1; border-color: #d6d6d6; color: #555; }
.tb-red .tb-main { background: #fdecea; border-color: #f5a39b; color: #8e1c12; }
.tb-main:focus-visible, .tb-btn:focus-visible, .tb-link:focus-visible { outline: 2px solid #0077c5; outline-offset: 1px; }
.tb-logo { width: 16px; height: 16px; flex: none; }
.tb-spin { width: 12px; height: 12px; margin: 2px; border: 2px solid #bbb; border-top-color: #555; border-radius: 50%; animation: tb-spin .8s linear infinite; flex: none; }
@keyframes tb-spin { to { transform: rotate(360deg); } }
.tb-action { color: #6b6c72; }
.tb-link { background: none; border: none; padding: 0; font: inherit; color: #0077c5; text-decoration: underline; cursor: pointer; }
.tb-note { background: #fff8e1; border: 1px solid #ffe082; border-radius: 10px; padding: 1px 8px; color: #6d4c00; }
.tb-btn { font: 600 13px/1 -apple-system, "Segoe UI", Roboto, sans-serif; padding: 7px 12px; border-radius: 4px; border: 1px solid #2ca01c; background: #2ca01c; color: #fff; cursor: pointer; display: inline-flex; align-items: center; gap: 6px; text-decoration: none; }
.tb-btn[disabled] { opacity: .65; cursor: progress; }
.tb-btn--view { background: #fff; color: #2ca01c; }
.tb-error { color: #8e1c12; }
`;

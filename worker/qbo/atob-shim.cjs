// intuit-oauth requires the `atob` package, whose browser build reads `window` at load time; this is
// the package's own Node behaviour (base64 → binary string) on top of node:buffer.
const { Buffer } = require("node:buffer");
module.exports = function atob(str) {
  return Buffer.from(str, "base64").toString("binary");
};

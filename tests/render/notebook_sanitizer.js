// Runs Jupyter Notebook 6's own HTML sanitizer on standard input and prints the result.
//
// Usage: node notebook_sanitizer.js SANITIZER_BUNDLE < page.html
//
// SANITIZER_BUNDLE is notebook/static/components/sanitizer/index.js of the installed
// Notebook, the AMD module Notebook calls for the outputs of untrusted notebooks. The
// options match Notebook's security.js with CSS disallowed: allowedStyles is empty.
const fs = require('fs');

let sanitizerModule;
global.define = (factory) => {
    sanitizerModule = factory();
};
eval(fs.readFileSync(process.argv[2], 'utf8'));

const html = fs.readFileSync(0, 'utf8');
process.stdout.write(sanitizerModule.defaultSanitizer.sanitize(html, { allowedStyles: {} }));

#!/usr/bin/env node
'use strict';
// The `gradus` command: runs the compiled CLI (built by `npm install` through the prepare script).
const { main } = require('../dist/cli/main.js');
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });

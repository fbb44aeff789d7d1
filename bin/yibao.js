#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the `prepare` script runs `tsc`).
import '../dist/cli/main.js';

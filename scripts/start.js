#!/usr/bin/env node
// `npm start`: the main job. Until the kernel lands, a short demo of the library.
"use strict";
require("../dist/lib/demo.js").main();

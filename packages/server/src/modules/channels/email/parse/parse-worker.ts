import os from 'node:os';
import { prepareEmail } from './prepare.ts';
import { serveParses } from './serve-parses.ts';

// Entry point of a parse-pool worker thread (run by Node's type stripping, like the rest of the server).
// Parsing is background work: at a lower priority (Linux: this thread only) it takes only the CPU that the
// event loop (chat, HTTP, the commits) leaves free: in a mail burst the scheduler serves those first.
try { os.setPriority(10); } catch { /* not permitted here: normal priority */ }
serveParses(prepareEmail);

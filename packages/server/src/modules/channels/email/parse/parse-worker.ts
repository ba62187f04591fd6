import { prepareEmail } from './prepare.ts';
import { serveParses } from './serve-parses.ts';

// Entry point of a parse-pool worker thread (run by Node's type stripping, like the rest of the server).
serveParses(prepareEmail);

// The suite in a page of the extension (a popup or options page), beside its service worker.
import { run, sessions } from './backends.mjs';

window.run = run;
window.sessions = sessions;
document.title = 'ready';

// The suite in a page of the extension (a popup or options page), beside its service worker.
import { run } from './backends.mjs';

window.run = run;
document.title = 'ready';

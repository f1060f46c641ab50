// Entry of the benchmark report page (bundled to dist/webview/report.js and report.css).
import './zodSetup';
import './report.css';
import { App } from './app';
import { HostChannel } from './host';

const host = new HostChannel();
window.addEventListener('error', (event) => host.post({ type: 'error', message: String(event.message).slice(0, 8000) }));
new App(host, document.getElementById('root') ?? document.body);

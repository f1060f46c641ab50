// Entry of the benchmark report page (bundled to dist/webview/report.js and report.css).
import '../kit/zodSetup';
import './report.css';
import { App } from './app';
import { startPage } from '../kit/channel';
import { parseReportHostMessage, ReportHostMessage, ReportWebviewMessage } from '../protocol/report';

const host = startPage<ReportWebviewMessage, ReportHostMessage>(parseReportHostMessage, (message) => ({ type: 'error', message }));
new App(host, document.getElementById('root') ?? document.body);

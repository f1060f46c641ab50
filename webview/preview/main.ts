// Entry of the mask preview webview (bundled to dist/webview/preview.js): registers the toolkit
// elements it uses, then starts the app. `data-surface` on <body> says whether this page is the
// side-bar view or the editor panel (the panel has no "Open beside" button).
import '../kit/zodSetup';
import './preview.css';
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import { App } from './app';
import { startPage } from '../kit/channel';
import { HostMessage, parseHostMessage, WebviewMessage } from '../protocol/preview';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField());

const host = startPage<WebviewMessage, HostMessage>(parseHostMessage, (message) => ({ type: 'error', message }));
const root = document.getElementById('root') ?? document.body;
new App(host, root, document.body.dataset.surface === 'panel');

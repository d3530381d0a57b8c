// Entry point: styles, then the app shell on #app.

import './styles.css';
import { App } from './app';

const root = document.getElementById('app');
if (root) {
  void new App(root).start();
}

// Entry point: styles, the live presence stream, then the app shell on #app.

import './styles.css';
import * as auth from './api/auth';
import { App } from './app';
import { EventStreamPresence, setPresenceSource } from './live/presence';

setPresenceSource(
  new EventStreamPresence({
    // after a failed stream, ask whether the session is still there: a 401 sends the user to the
    // sign-in page (which ends the stream); otherwise the stream retries with backoff
    onFailure: () => void auth.me().catch(() => {}),
  }),
);

const root = document.getElementById('app');
if (root) {
  void new App(root).start();
}

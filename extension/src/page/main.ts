// The page-world request guard (`"world": "MAIN"`, `document_start`). It must run before the site's
// own scripts capture `fetch`, so it does the least possible: wrap fetch and XHR, and take the private
// port the content script hands over once. Detection, rules and decisions stay in the isolated world.

import { isHandshake } from '../shared/wire-protocol';
import { wrapFetch, wrapXhr } from './request-guard';
import { WireClient } from './wire-client';

(() => {
  const client = new WireClient();
  const pageUrl = () => location.href;

  // Registered first on the window, in the capture phase: the handshake is consumed here and never
  // reaches the site's listeners.
  window.addEventListener(
    'message',
    (event: MessageEvent) => {
      if (event.source !== window || client.connected || !isHandshake(event.data, event.ports)) return;
      event.stopImmediatePropagation();
      const port = event.ports[0];
      if (port) client.attach(port);
    },
    true,
  );

  const guardedFetch = wrapFetch(window.fetch, client, pageUrl);
  Object.defineProperty(window, 'fetch', { value: guardedFetch, writable: true, configurable: true, enumerable: true });
  wrapXhr(XMLHttpRequest.prototype, client, pageUrl);
})();

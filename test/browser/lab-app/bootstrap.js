// Entry of the test JupyterLab app. Chunks load from the server's static URL, and the app proper
// (index.js) is imported asynchronously so webpack's shared-module scope (module federation) is
// set up before any @jupyterlab package is evaluated, as in JupyterLab's own bootstrap.js.
/* global document */
const config = JSON.parse(document.getElementById('jupyter-config-data').textContent);
// eslint-disable-next-line no-undef -- webpack's public path variable
__webpack_public_path__ = config.fullStaticUrl + '/';
import('./index.js');

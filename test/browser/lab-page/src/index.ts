// An async boundary, so that the shared modules (module federation) are set up before the page
// code runs: the installed labextension gets @jupyter-widgets/base from this page's share scope.
void import('./page');

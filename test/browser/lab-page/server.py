"""Serve the convlens live-test page from Debian's jupyter_server.

A small jupyterlab_server.LabServerApp subclass: it serves templates/index.html at
/convlens-test with the page bundle ($CONVLENS_TEST_PAGE_BUILD or build/) as its static files, next to the usual
Jupyter REST and websocket APIs (kernels, kernelspecs). Run it with /usr/bin/python3:

    /usr/bin/python3 server.py --ServerApp.port=8888 --IdentityProvider.token=SECRET
"""
import os
import sys
import tempfile

from jupyterlab_server import LabServerApp

HERE = os.path.dirname(os.path.abspath(__file__))
# Settings, schemas, themes and workspaces are unused by the page; give them an empty folder.
_EMPTY = tempfile.mkdtemp(prefix="convlens-page-")


class ConvlensTestPage(LabServerApp):
    # The extension point is this module (jupyter_server links it by module name).
    name = __name__
    app_name = "convlens live test page"
    extension_url = "/convlens-test"
    app_url = "/convlens-test"
    default_url = "/convlens-test"
    load_other_extensions = False
    open_browser = False
    # The page bundle: where the test built it, else build/ (webpack.config.js's default).
    static_dir = os.environ.get("CONVLENS_TEST_PAGE_BUILD") or os.path.join(HERE, "build")
    templates_dir = os.path.join(HERE, "templates")
    app_settings_dir = _EMPTY
    schemas_dir = _EMPTY
    themes_dir = _EMPTY
    user_settings_dir = _EMPTY
    workspaces_dir = _EMPTY


def _jupyter_server_extension_points():
    return [{"module": __name__, "app": ConvlensTestPage}]


if __name__ == "__main__":
    sys.exit(ConvlensTestPage.launch_instance())

"""Serve the test JupyterLab app (built by webpack.config.js) from Debian's jupyter_server.

A jupyterlab_server.LabServerApp subclass, as in JupyterLab's examples/app: the app at /lab, its
settings schemas and themes from the build folder, user settings and workspaces in throw-away
folders, and the federated extensions found in $CONVLENS_LAB_EXTENSIONS (the
share/jupyter/labextensions folder `convlens install --prefix` wrote). Run it with /usr/bin/python3:

    CONVLENS_LAB_APP_BUILD=... CONVLENS_LAB_STATE=... /usr/bin/python3 server.py --ServerApp.port=8888
"""
import json
import os
import sys

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.base.zmqhandlers import WebSocketMixin
from jupyterlab_server import LabServerApp
from tornado import web
from tornado.websocket import WebSocketHandler

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ["CONVLENS_LAB_APP_BUILD"]
STATE = os.environ["CONVLENS_LAB_STATE"]


# Debian's jupyter_server is 1.x; JupyterLab 4's services also call two jupyter_server 2 APIs. Like
# jupyter_server 2 with identity and event logging left at their defaults, they answer here with the
# anonymous user and an event stream that emits nothing.


class IdentityHandler(APIHandler):
    """GET /api/me: the current user, as jupyter_server 2's IdentityHandler answers for a token login."""

    @web.authenticated
    def get(self):
        name = "convlens test user"
        identity = {"username": "test", "name": name, "display_name": name, "initials": "CT", "avatar_url": None, "color": None}
        self.finish(json.dumps({"identity": identity, "permissions": {}}))


class EventsHandler(WebSocketMixin, WebSocketHandler, JupyterHandler):
    """/api/events/subscribe: jupyter_server 2's event stream; no server events are emitted here."""

    def set_default_headers(self):
        pass

    async def get(self, *args, **kwargs):
        if self.get_current_user() is None:
            raise web.HTTPError(403)
        await super().get(*args, **kwargs)


class ConvlensTestLab(LabServerApp):
    # jupyter_server links the extension by module name.
    name = __name__
    app_name = "JupyterLab"
    app_version = "4.5.11"
    extension_url = "/lab"
    app_url = "/lab"
    default_url = "/lab"
    load_other_extensions = False
    open_browser = False
    static_dir = BUILD
    templates_dir = os.path.join(HERE, "templates")
    app_settings_dir = os.path.join(STATE, "app-settings")
    schemas_dir = os.path.join(BUILD, "schemas")
    themes_dir = os.path.join(BUILD, "themes")
    user_settings_dir = os.path.join(STATE, "user-settings")
    workspaces_dir = os.path.join(STATE, "workspaces")
    # Only the extensions installed for the test: nothing from /usr/share/jupyter/labextensions.
    labextensions_path = [os.environ["CONVLENS_LAB_EXTENSIONS"]]

    def initialize_handlers(self):
        self.handlers.extend([(r"/api/me", IdentityHandler), (r"/api/events/subscribe", EventsHandler)])
        super().initialize_handlers()


def _jupyter_server_extension_points():
    return [{"module": __name__, "app": ConvlensTestLab}]


if __name__ == "__main__":
    for d in ("app-settings", "user-settings", "workspaces"):
        os.makedirs(os.path.join(STATE, d), exist_ok=True)
    sys.exit(ConvlensTestLab.launch_instance())

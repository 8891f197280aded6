"""Development tools: the demo loader, the benchmark's data, the local admin account.

Installed only with DEBUG on, or when DEVTOOLS says so on purpose (the tests, the benchmark);
production settings leave it out and the image does not contain it, so a live site has no
command that could fill its database with made-up content.
"""

from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "devtools"
    verbose_name = "Development tools"

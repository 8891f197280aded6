"""Staff roles: the Editor and Programmer groups and what each may do in the admin.

An Editor enters and changes content but cannot publish, and cannot delete what is published.
A Programmer may also publish (or schedule) and delete. Superusers stay for administrators.
The groups come from a data migration; a post_migrate hook keeps them in step with this module
afterwards (and puts them back after a test flushes the database).
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db.models import Model

EDITOR = "Editor"
PROGRAMMER = "Programmer"

# Models whose objects visitors see once published; publishing them is a permission of its own.
PUBLISHABLE = {"programmes": ("programme", "film", "event")}

# What staff fill in, by app. Deleting is granted to editors too, but the admin refuses an
# editor the delete of anything published (see programmes.admin_publishing).
CONTENT = {
    "programmes": ("programme", "film", "credit", "still", "event", "eventcontributor"),
    "screenings": ("screening",),
}

EDITOR_PERMISSIONS = [
    *(
        f"{app}.{action}_{model}"
        for app, models in CONTENT.items()
        for model in models
        for action in ("view", "add", "change", "delete")
    ),
    # People have public pages as soon as they exist; only programmers remove them.
    *(f"programmes.{action}_person" for action in ("view", "add", "change")),
    "screenings.view_auditorium",
    "programmes.view_sitesettings",
    # The state of every image's pictures, and asking for a failed one to be prepared again.
    "programmes.view_imagepreparation",
    "programmes.change_imagepreparation",
]

PROGRAMMER_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    *(f"{app}.publish_{model}" for app, models in PUBLISHABLE.items() for model in models),
    "programmes.delete_person",
    *(f"screenings.{action}_auditorium" for action in ("add", "change", "delete")),
    "programmes.change_sitesettings",
]

ROLES = {EDITOR: EDITOR_PERMISSIONS, PROGRAMMER: PROGRAMMER_PERMISSIONS}


def publish_permission(model: type[Model] | Model) -> str:
    """'programmes.publish_film': the permission to publish objects of this model."""
    opts = model._meta
    return f"{opts.app_label}.publish_{opts.model_name}"


def ensure_roles(apps=global_apps) -> None:
    """Create the publish permissions and both groups, with exactly the permissions above.

    Takes an app registry so the data migration can run it on its historical models.
    """
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    for label in ("programmes", "screenings"):
        app_config = apps.get_app_config(label)
        # Django creates model permissions after all migrations; the groups need them now.
        if getattr(app_config, "models_module", None) is None:
            app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)

    for app_label, model_names in PUBLISHABLE.items():
        for model_name in model_names:
            content_type, _created = ContentType.objects.get_or_create(
                app_label=app_label, model=model_name
            )
            Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"publish_{model_name}",
                defaults={"name": f"Can publish {model_name}"},
            )

    for group_name, names in ROLES.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            # None in the data migration for a model a later migration adds: the hook after
            # migrate grants it.
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)


def ensure_roles_after_migrate(sender, **kwargs) -> None:
    """post_migrate receiver: once, after the last of our apps has migrated."""
    if sender.label == "screenings":
        ensure_roles()

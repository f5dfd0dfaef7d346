"""Curators' roles, as Django groups (created by the migration casestudies 0004_curator_roles).

| role     | every curated model          | wps_portal.publish_record | wps_portal.revert_record |
|----------|------------------------------|---------------------------|--------------------------|
| Viewer   | view                         |                           |                          |
| Editor   | view, add, change            |                           |                          |
| Reviewer | view, add, change, delete    | yes                       | yes                      |

An Editor saves drafts and edits records; a status change (publish, unpublish) is refused to them
(``services.check_status_change``). Give a curator ``is_staff`` and one group.
"""

from __future__ import annotations

VIEWER, EDITOR, REVIEWER = "Viewer", "Editor", "Reviewer"
ROLES = {
    VIEWER: {"actions": ("view",), "extra": ()},
    EDITOR: {"actions": ("view", "add", "change"), "extra": ()},
    REVIEWER: {
        "actions": ("view", "add", "change", "delete"),
        "extra": ("publish_record", "revert_record"),
    },
}
# The apps whose records curators look after.
CURATED_APPS = ("wps_portal", "partners", "activities", "casestudies")


def sync_roles(apps) -> None:
    """Create or update the three groups with their permissions (``apps``: a migration's app
    registry, or django.apps.apps). Historical (history) models are not curated themselves."""
    from django.contrib.auth.management import create_permissions

    for label in CURATED_APPS:
        config = apps.get_app_config(label)
        # create_permissions skips an app without a models module: a migration's stub has none
        stub = not hasattr(config, "models_module") or config.models_module is None
        if stub:
            config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        if stub:
            config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    curated = [
        ContentType.objects.get_for_model(model)
        for label in CURATED_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical") and model._meta.managed
    ]
    for role, grant in ROLES.items():
        codenames = [
            f"{action}_{content_type.model}" for content_type in curated for action in grant["actions"]
        ]
        permissions = list(
            Permission.objects.filter(content_type__in=curated, codename__in=codenames)
        ) + list(Permission.objects.filter(content_type__app_label="wps_portal", codename__in=grant["extra"]))
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(permissions)


def remove_roles(apps) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()

"""The platform articles' reporting steps, checked against each platform's help pages (hotline/library_seed.py),
for libraries seeded before: only articles no supervisor has edited are changed, each with a new version."""

from django.db import migrations


def apply(apps, schema_editor):
    from hotline.library_seed import apply_checked_platform_steps

    apply_checked_platform_steps(apps.get_model("hotline", "Article"), apps.get_model("hotline", "ArticleVersion"))


class Migration(migrations.Migration):
    dependencies = [("hotline", "0003_article_images")]

    operations = [migrations.RunPython(apply, migrations.RunPython.noop)]

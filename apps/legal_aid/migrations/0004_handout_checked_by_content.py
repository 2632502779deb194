import apps.core.private_files
import apps.core.uploads
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("legal_aid", "0003_registrations_into_enrolment"),
    ]

    operations = [
        migrations.AlterField(
            model_name="legalevent",
            name="handout",
            field=models.FileField(
                blank=True,
                help_text="PDF、Word 或 Excel 文件",
                upload_to=apps.core.private_files.PrivateUploadTo("legal/handouts"),
                validators=[apps.core.uploads.validate_document],
                verbose_name="宣传资料",
            ),
        ),
    ]

from django.db import migrations

# Role groups are made after every migrate from what the apps declare through the app
# contract (accounts.services.role_permissions_sync); this migration no longer lists them.


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = []

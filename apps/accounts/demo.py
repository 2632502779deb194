"""Demo users: one per role, plus a worker and a superuser. Printed by load_demo."""

from allauth.account.models import EmailAddress

from apps.core.models import Organization, Town

from .models import User
from .services import user_role_add

DEMO_PASSWORD = "union-demo-2024"

DEMO_USERS = [
    # username, real name, role (None: plain worker), employer, superuser
    ("admin", "系统管理员", None, "兴化市总工会", True),
    ("editor", "王编辑", "editor", "兴化市总工会宣传教育部", False),
    ("chief", "李主编", "chief_editor", "兴化市总工会宣传教育部", False),
    ("reporter", "张填报", "tenthings_reporter", "兴化市总工会经济技术部", False),
    ("leader", "常主席", "leader", "兴化市总工会", False),
    ("lawyer", "黄律师", "lawyer", "兴化市总工会法律工作部", False),
    ("keeper", "陈站长", "station_keeper", "兴化市城市管理局环卫处", False),
    ("reviewer", "徐工程师", "reviewer", "东华链条兴化有限公司", False),
    ("worker", "刘师傅", None, "兴化市城市管理局环卫处", False),
]


def load(stdout) -> None:
    town = Town.objects.filter(name="昭阳街道").first()
    for username, real_name, role, employer, superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "real_name": real_name,
                "email": f"{username}@example.com",
                "employer": Organization.objects.filter(name=employer).first(),
                "town": town,
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        if role:
            user_role_add(user=user, role=role)
    stdout.write(f"  演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, real_name, role, _employer, superuser in DEMO_USERS:
        what = "超级管理员" if superuser else (role or "职工")
        stdout.write(f"    {username:<10} {real_name:<6} {what}")

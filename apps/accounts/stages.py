from allauth.account.stages import PhoneVerificationStage


class SignupPhoneVerificationStage(PhoneVerificationStage):
    """Prove the mobile number when signing up; do not hold up a sign-in by password.

    Accounts made before SMS sign-in (staff, lawyers, imported workers) may carry a number that
    was typed, not proven; they keep signing in as before and prove it when they sign in by code.
    """

    def handle(self):
        if self.login.user and not self.login.signup:
            return None, True
        return super().handle()

"""manage.py api_token create USERNAME [--days N] | list [USERNAME] | revoke USERNAME [KEY | --all]"""

from django.core.management.base import BaseCommand, CommandError

from wps_portal import tokens


class Command(BaseCommand):
    help = "Create, list or revoke API tokens (stored hashed; shown once, when created)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="a new token for a user, printed once")
        create.add_argument("username")
        create.add_argument("--days", type=int, default=None, help="valid for N days (0: no expiry)")
        listing = actions.add_parser("list", help="tokens by key, user, creation and expiry")
        listing.add_argument("username", nargs="?")
        revoke = actions.add_parser("revoke", help="delete one token (by key) or all of a user's")
        revoke.add_argument("username")
        revoke.add_argument("key", nargs="?", help="the token or its first 15 characters")
        revoke.add_argument("--all", action="store_true", help="every token of the user")

    def handle(self, *args, action, username=None, **options):
        try:
            if action == "create":
                issued = tokens.create_token(username, options["days"])
                expiry = issued.expiry.isoformat() if issued.expiry else "never"
                self.stderr.write(f"Token {issued.key} for {username}, expires {expiry}. Shown only now:")
                self.stdout.write(issued.token)
            elif action == "list":
                for token in tokens.list_tokens(username):
                    expiry = token.expiry.isoformat() if token.expiry else "never"
                    self.stdout.write(
                        f"{token.token_key}  {token.user.get_username()}  "
                        f"created {token.created.isoformat()}  expires {expiry}"
                    )
            else:
                if not options["key"] and not options["all"]:
                    raise CommandError("Name the token's KEY, or --all to revoke every token of the user.")
                count = tokens.revoke_tokens(username, None if options["all"] else options["key"])
                self.stdout.write(f"Revoked {count} token(s) of {username}.")
        except tokens.TokenError as error:
            raise CommandError(str(error)) from error

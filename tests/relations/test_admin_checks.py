from django.core.management import call_command


def test_it_keeps_the_admin_checks_clean_after_the_forms_are_used(admin_client):
    # modeltranslation copies a form's explicit field list onto the admin instance, which
    # then fails admin.E005 ("both fieldsets and fields") on the next system check.
    for url in (
        "/admin/relations/agreement/add/",
        "/admin/relations/partnership/add/",
        "/admin/relations/workinggroup/add/",
        "/admin/relations/exchange/add/",
        "/admin/news/article/add/",
    ):
        assert admin_client.get(url).status_code == 200

    call_command("check", fail_level="ERROR")

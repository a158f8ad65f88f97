"""The notice page shows the current designation and leads to the designation page."""
from assignments.tests import factories as f


def test_the_detail_page_links_to_designation_and_shows_the_lawyer(client, world):
    notice = f.notice(world)
    client.force_login(world.staff)
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert f"/notices/{notice.pk}/designation/" in page
    lawyer = f.lawyer(world, name="钱律师")
    f.designate(world, notice, lawyer)
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "钱律师" in page and f"/api/v1/notices/{notice.pk}/letter.pdf" in page

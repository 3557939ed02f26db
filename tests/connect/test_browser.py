"""A person's path through the demo page in headless Chromium: sign in, connect (Approve, then the page
confirms the pending link), disconnect."""

import json
import tempfile

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import DEMO
from tests.connect.conftest import start_connect


@pytest.fixture
def browser():
    """Debian's Chromium, headless, with a fresh profile and no background networking."""
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def _row_cell(driver, provider, index):
    for row in driver.find_elements(By.CSS_SELECTOR, "#connections-body tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        if len(cells) > index and cells[0].text == provider:
            return cells[index].text
    return None


def _row_status(driver, provider):
    return _row_cell(driver, provider, 1)


def test_sign_in_connect_and_disconnect_in_the_demo_page(sandbox, app_host, database, browser):
    wait = WebDriverWait(browser, 20, ignored_exceptions=(StaleElementReferenceException,))
    browser.get(DEMO)
    wait.until(ready.element_to_be_clickable((By.ID, "signin-alice"))).click()
    wait.until(ready.text_to_be_present_in_element((By.ID, "signed-in-user"), "alice"))

    browser.find_element(By.ID, "connect-oura").click()
    wait.until(ready.element_to_be_clickable((By.ID, "approve"))).click()
    # Back with status=pending and a link: the page confirms it and replaces the address.
    wait.until(lambda driver: driver.current_url.startswith(DEMO) and "status=connected" in driver.current_url)
    assert "link=" not in browser.current_url
    wait.until(lambda driver: _row_status(driver, "oura") == "active")
    assert _row_cell(browser, "oura", 2) == "alice@example.com"
    banner = browser.find_element(By.ID, "status-banner").text
    assert "oura" in banner and "connected" in banner and "alice@example.com" in banner
    with database.transaction() as cursor:
        cursor.execute("SELECT used_at IS NOT NULL FROM pending_links")
        assert cursor.fetchall() == [(True,)]

    browser.find_element(By.ID, "disconnect-oura").click()
    wait.until(lambda driver: _row_status(driver, "oura") == "revoked")
    with database.transaction() as cursor:
        cursor.execute("SELECT status, access_token_enc FROM connections WHERE user_id = 'alice' AND provider = 'oura'")
        assert cursor.fetchone() == ("revoked", None)


def test_a_link_started_by_someone_else_is_cancelled_in_the_victims_page(sandbox, app_host, database, browser):
    wait = WebDriverWait(browser, 20, ignored_exceptions=(StaleElementReferenceException,))
    browser.get(DEMO)
    wait.until(ready.element_to_be_clickable((By.ID, "signin-alice"))).click()
    wait.until(ready.text_to_be_present_in_element((By.ID, "signed-in-user"), "alice"))
    # bob starts the flow with his own bearer and gets alice to open the consent page.
    started = start_connect(sandbox.state.oidc.mint("bob"), "oura")
    browser.get(json.loads(started.get_body())["authorization_url"])
    wait.until(ready.element_to_be_clickable((By.ID, "approve"))).click()
    wait.until(lambda driver: "status=link_user_mismatch" in driver.current_url)
    wait.until(lambda driver: "someone else" in driver.find_element(By.ID, "status-banner").text)
    assert sandbox.state.counters.get("oura.revoke") == 1
    with database.transaction() as cursor:
        cursor.execute("SELECT count(*) FROM connections")
        assert cursor.fetchone()[0] == 0

"""The demo page shows each stream's sync progress: recent days first, then the history to 100%."""

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import DEMO
from tests.connect.test_browser import _row_status, browser  # noqa: F401 - the fixture


def _progress(driver, provider):
    """Read the provider's progress list in one script call: the page re-renders it every few seconds,
    so element handles read one by one can go stale between two reads."""
    rows = driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map("
        "item => [item.getAttribute('data-stream'), item.getAttribute('data-percent'), item.innerText]);",
        f"#progress-{provider} li")
    return {stream: (percent, text) for stream, percent, text in rows}


def test_the_demo_page_shows_sync_progress_per_stream(sandbox, app_host, database, browser):  # noqa: F811
    wait = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,))
    browser.get(DEMO)
    wait.until(ready.element_to_be_clickable((By.ID, "signin-alice"))).click()
    wait.until(ready.text_to_be_present_in_element((By.ID, "signed-in-user"), "alice"))
    browser.find_element(By.ID, "connect-oura").click()
    wait.until(ready.element_to_be_clickable((By.ID, "approve"))).click()
    wait.until(lambda driver: _row_status(driver, "oura") == "active")
    wait.until(lambda driver: any("waiting for its first sync" in text
                                  for _, text in _progress(driver, "oura").values()))

    assert app_host.poll_queue("queue_download_oura") >= 1  # the recent days of every stream
    wait.until(lambda driver: any("history back to" in text and percent not in ("", "100")
                                  for percent, text in _progress(driver, "oura").values()))
    assert app_host.poll_queue("queue_download_oura") >= 1  # the history job
    wait.until(lambda driver: all(percent == "100" and "history complete" in text
                                  for percent, text in _progress(driver, "oura").values()
                                  if "synced through" in text))
    assert any("synced through" in text for _, text in _progress(browser, "oura").values())

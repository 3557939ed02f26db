"""Google's OAuth server and API front-end, shared by the providers whose APIs are Google's."""

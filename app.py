"""Start the LDN Assistant web app: `python app.py` (same as `ldn-assistant serve`)."""

from ldn_assistant.settings import Settings
from ldn_assistant.ui import serve

if __name__ == "__main__":
    serve(Settings())

"""Start the secretarisbot app: ``python app.py`` (binds 127.0.0.1 unless SECRETARISBOT_HOST says otherwise)."""

from secretarisbot.settings import disable_telemetry

disable_telemetry()

from secretarisbot.ui.app import build_app, launch_app  # noqa: E402

if __name__ == "__main__":
    import logging

    from secretarisbot.settings import get_settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    launch_app(build_app(settings), settings)

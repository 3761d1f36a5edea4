"""Extension objects, created unbound and initialised in create_app()."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from aoapp.api_base import Api
from aoapp.database import Base, RoutingSession, include_name, render_item

db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})
migrate = Migrate(
    compare_type=True, render_as_batch=True, render_item=render_item, include_name=include_name
)
login_manager = LoginManager()
csrf = CSRFProtect()
api = Api()
babel = Babel()
# Per client address; RATELIMIT_STORAGE_URI (e.g. redis://) shares the counts between instances.
limiter = Limiter(key_func=get_remote_address)

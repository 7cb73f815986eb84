"""The web process: a small shop front served by gunicorn."""
import os

import psycopg
import redis
from flask import Flask, jsonify

app = Flask(__name__)
db_url = os.environ["DATABASE_URL"]
cache = redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379"))


@app.get("/")
def index():
    return "Welcome to the shop"


@app.get("/products")
def products():
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("select id, name, price_cents from products order by name").fetchall()
    return jsonify([{"id": r[0], "name": r[1], "price_cents": r[2]} for r in rows])


@app.get("/health")
def health():
    cache.ping()
    return "ok"

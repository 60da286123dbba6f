/*
 * congkhai search (the page tim-kiem/index.html): finds the words typed in
 * the index files beside that page, in the reader's browser; nothing is
 * sent anywhere. The index files are scripts that call
 * ckSearchLoaded(name, data), so it also works in a copy of the site
 * opened from disk (file://), where fetch() cannot read files. Only the
 * files a query needs are loaded (tim-kiem/meta.js says which).
 * Without JavaScript (or on a browser too old for this script) the page
 * keeps its links to the lists.
 */
(function () {
	"use strict";
	var PAGE = 30, RANKED = 600;
	var loaded = {}, waiting = {}, meta = null;

	window.ckSearchLoaded = function (name, data) {
		var w = waiting[name];

		loaded[name] = data;
		delete waiting[name];
		if (w)
			w.forEach(function (f) { f.ok(data); });
		if (name === "meta" && meta === null) {
			meta = data;
			start();
		}
	};

	/*
	 * Loads tim-kiem/<name>.js once; v, the hash of its data, makes each
	 * build's files new addresses for the caches on the way.
	 */
	function load(f) {
		var name = f[0];

		return new Promise(function (ok, fail) {
			var s;

			if (loaded[name])
				return ok(loaded[name]);
			if (waiting[name]) {
				waiting[name].push({ok: ok, fail: fail});
				return;
			}
			waiting[name] = [{ok: ok, fail: fail}];
			s = document.createElement("script");
			s.src = name + ".js?v=" + f[1];
			s.onerror = function () {
				var w = waiting[name];

				delete waiting[name];
				if (w)
					w.forEach(function (f) { f.fail(new Error(name)); });
			};
			document.head.appendChild(s);
		});
	}

	/* As congkhai folds the index: no marks, lower case, đ -> d. */
	function fold(s) {
		return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
		    .replace(/đ/g, "d");
	}

	function words(s) {
		return fold(s).match(/[\p{L}\p{N}]+/gu) || [];
	}

	/* The word chunk that may hold w: the last one starting at or before. */
	function chunkOf(w) {
		var i = 0;

		while (i + 1 < meta.words.length && meta.words[i + 1][0] <= w)
			i++;
		return i;
	}

	function decode(deltas) {
		var ids = [], id = 0;

		deltas.forEach(function (d, i) {
			id = i ? id + d : d;
			ids.push(id);
		});
		return ids;
	}

	function union(lists) {
		var seen = {}, out = [];

		lists.forEach(function (l) {
			l.forEach(function (id) {
				if (!seen[id]) {
					seen[id] = true;
					out.push(id);
				}
			});
		});
		return out.sort(function (a, b) { return a - b; });
	}

	function intersect(a, b) {
		var out = [], i = 0, k = 0;

		while (i < a.length && k < b.length) {
			if (a[i] === b[k]) {
				out.push(a[i]);
				i++;
				k++;
			} else if (a[i] < b[k]) {
				i++;
			} else {
				k++;
			}
		}
		return out;
	}

	/* The documents of word w, or of every word starting with w. */
	function lookup(w, prefix) {
		var first = chunkOf(w), last = first, names = [], i;

		if (meta.words.length === 0)
			return Promise.resolve([]);
		while (prefix && last + 1 < meta.words.length &&
		    meta.words[last + 1][0].slice(0, w.length) <= w)
			last++;
		for (i = first; i <= last; i++)
			names.push(load(meta.words[i].slice(1)));
		return Promise.all(names).then(function (chunks) {
			var lists = [];

			chunks.forEach(function (c) {
				Object.keys(c).forEach(function (k) {
					if (k === w || (prefix && k.slice(0, w.length) === w))
						lists.push(decode(c[k]));
				});
			});
			return union(lists);
		});
	}

	/* A word typed: whole words up to 2 letters and numbers, else prefixes. */
	function wordDocs(w) {
		return lookup(w, w.length >= 3 && !/^[0-9]+$/.test(w));
	}

	/*
	 * One piece of the query. A reference ("DT2025-001") or a code with a
	 * dot is indexed whole: tried first, then as its words.
	 */
	function termDocs(piece) {
		var f = fold(piece), parts = words(piece);

		function byParts() {
			if (parts.length === 0)
				return Promise.resolve(null);
			return Promise.all(parts.map(wordDocs)).then(function (ls) {
				return ls.reduce(intersect);
			});
		}
		if (/^[\p{L}\p{N}]+([.\-][\p{L}\p{N}]+)+$/u.test(f))
			return lookup(f, false).then(function (ids) {
				return ids.length ? {ids: ids, whole: true}
				    : byParts().then(function (ids) {
					return {ids: ids, whole: false};
				});
			});
		return byParts().then(function (ids) {
			return {ids: ids, whole: false};
		});
	}

	function indexOf(list, id) {
		var i;

		for (i = 0; i < list.length; i++)
			if (list[i][0] === id)
				return i;
		return -1;
	}

	/* The documents matching q (every piece) and the filters, best first. */
	function find(q, f) {
		var pieces = q.split(/[\s,;]+/).filter(function (s) {
			return s !== "";
		});
		var want = {
			h: f.thon ? indexOf(meta.hamlets, f.thon) : -1,
			t: f.lv ? indexOf(meta.topics, f.lv) : -1,
			s: f.tt ? indexOf(meta.statuses, f.tt) : -1
		};
		var filtered = want.h >= 0 || want.t >= 0 || want.s >= 0;
		var docs = Promise.all(pieces.map(termDocs)).then(function (ts) {
			var ids = null, whole = [];

			ts.forEach(function (t) {
				if (t.ids === null)
					return;
				ids = ids === null ? t.ids : intersect(ids, t.ids);
				if (t.whole)
					whole = whole.concat(t.ids);
			});
			if (ids === null) {
				ids = [];
				if (filtered)
					for (var i = 0; i < meta.count; i++)
						ids.push(i);
			}
			/*
			 * Free pages first, then the newest (documents come in
			 * the order of the records: oldest first); an exact
			 * reference before all.
			 */
			ids = ids.filter(function (id) {
				return id < meta.pages;
			}).concat(ids.filter(function (id) {
				return id >= meta.pages;
			}).reverse());
			return ids.filter(function (id) {
				return whole.indexOf(id) >= 0;
			}).concat(ids.filter(function (id) {
				return whole.indexOf(id) < 0;
			}));
		});

		if (filtered)
			docs = Promise.all([docs, load(meta.filters)]).then(function (r) {
				var fl = r[1];

				return r[0].filter(function (id) {
					return (want.h < 0 || fl.h[id] === want.h) &&
					    (want.t < 0 || fl.t[id] === want.t) &&
					    (want.s < 0 || fl.s[id] === want.s);
				});
			});
		return docs.then(function (ids) {
			return rank(ids, fold(pieces.join(" ")));
		});
	}

	/*
	 * The words typed, side by side, in a title or an excerpt put a
	 * document first (a reference typed stays first: it is the title's
	 * start). Only for a few hundred results: more would load every
	 * document chunk, and then the order of the lists is as good.
	 */
	function rank(ids, phrase) {
		if (phrase === "" || ids.length < 2 || ids.length > RANKED)
			return Promise.resolve(ids);
		return Promise.all(ids.map(doc)).then(function (ds) {
			var scored = ids.map(function (id, i) {
				var d = ds[i] || [], score = 0;

				if (fold((d[1] || "") + " " + (d[2] || "")).indexOf(phrase) >= 0)
					score += 2;
				if (fold(d[4] || "").indexOf(phrase) >= 0)
					score += 1;
				return {id: id, i: i, score: score};
			});

			scored.sort(function (a, b) {
				return b.score - a.score || a.i - b.i;
			});
			return scored.map(function (x) { return x.id; });
		});
	}

	function doc(id) {
		return load(meta.docs[Math.floor(id / meta.per)]).then(function (c) {
			return c[id % meta.per];
		});
	}

	function el(tag, cls, text) {
		var e = document.createElement(tag);

		if (cls)
			e.className = cls;
		if (text)
			e.textContent = text;
		return e;
	}

	var KIND = {q: "", d: "Cuộc đối thoại", p: "Trang"};

	function row(d) {
		var li = el("li", "q"), a = el("a", "q-title");

		a.href = "../" + d[3];
		a.appendChild(el("span", "q-no", d[0] === "q" ? d[1] : KIND[d[0]]));
		a.appendChild(document.createTextNode(" " + (d[2] || "")));
		li.appendChild(a);
		if (d[4] || d.length > 5) {
			var p = el("p", "q-meta"), st = meta.statuses[d[5]];

			if (st) {
				p.appendChild(el("span", "badge st-" + st[0], st[1]));
				p.appendChild(document.createTextNode(" "));
			}
			p.appendChild(document.createTextNode(d[4] || ""));
			li.appendChild(p);
		}
		return li;
	}

	function start() {
		var params = new URLSearchParams(location.search);
		var q = (params.get("q") || "").trim();
		var f = {
			thon: params.get("thon") || "",
			lv: params.get("linh-vuc") || "",
			tt: params.get("trang-thai") || ""
		};
		var form = document.getElementById("tim");
		var status = document.getElementById("tim-trang-thai");
		var list = document.getElementById("tim-ket-qua");
		var more = document.getElementById("tim-them");
		var fallback = document.getElementById("tim-thay-the");
		var top = document.getElementById("tim-q");
		var shown = 0, ids = [];

		if (!form)
			return;
		form.hidden = false;
		document.getElementById("tim-can-js").textContent =
		    "Hoặc xem theo danh sách:";
		form.elements.q.value = q;
		if (top)
			top.value = q;
		form.elements.thon.value = f.thon;
		form.elements["linh-vuc"].value = f.lv;
		form.elements["trang-thai"].value = f.tt;
		["thon", "linh-vuc", "trang-thai"].forEach(function (n) {
			form.elements[n].addEventListener("change", function () {
				form.submit();
			});
		});
		if (q === "" && !f.thon && !f.lv && !f.tt)
			return;

		function showMore() {
			var next = ids.slice(shown, shown + PAGE);

			shown += next.length;
			more.hidden = true;
			return Promise.all(next.map(doc)).then(function (ds) {
				ds.forEach(function (d) {
					if (d)
						list.appendChild(row(d));
				});
				more.hidden = shown >= ids.length;
			});
		}
		more.addEventListener("click", showMore);
		status.textContent = "Đang tìm…";
		find(q, f).then(function (found) {
			ids = found;
			status.textContent = ids.length === 0
			    ? "Không tìm thấy kết quả nào. Hãy thử ít từ hơn, bỏ bớt bộ lọc, hoặc xem theo danh sách bên dưới."
			    : "Tìm thấy " + ids.length + " kết quả.";
			fallback.hidden = ids.length > 0;
			return showMore();
		}).catch(function () {
			status.textContent = "Không tải được dữ liệu tìm kiếm. Hãy xem theo danh sách bên dưới.";
			fallback.hidden = false;
		});
	}
})();

/* Huxiao: Material's search worker, with a Chinese query cut into the index's own words.
 *
 * The page starts this script in place of Material's search worker (main.html names it in the
 * search URL, with Material's worker file as `material=`), and this script loads Material's.
 *
 * Why: Material cuts the Han characters of a query greedily against the words of the index, but
 * never tries the whole run, nor a word that ends on its last character. 反恐 becomes 反*
 * (everything that starts with 反: 反邪教, 反诈…), 防溺水 becomes 防* (防沉迷 first). The index
 * holds jieba's words, the curriculum's among them (防溺水, 反恐怖主义法, 一键报警…), so the query
 * is cut here into the longest runs that begin a word of the index, left to right, each searched
 * as a prefix: 防溺水 → 防溺水*, 宿舍着火 → 宿舍* 着火*, 反恐 → 反恐*.
 *
 * Synonyms: a query holding a word of a group in lessons/_synonyms.yml (霸凌) is searched as typed
 * and with each other word of the group in its place (欺凌); a section keeps its best score. The
 * groups come with the index, as `config.huxiao_synonyms` (engine/searchindex.py).
 *
 * How: lunr parses a query string with lunr.QueryParser, both when Material analyses the query
 * (which words were found) and when the index is searched. While a query message is handled, the
 * parser is given the query cut here instead of Material's cut. Without a query in hand, or if
 * Material changes how it searches, Material's own cut is used as before. Runs as a Web Worker
 * and, from file://, inside the iframe of the iframe-worker shim.
 */
(function () {
  "use strict"

  var SETUP = 0 // Material's SearchMessageType.SETUP
  var QUERY = 2 // Material's SearchMessageType.QUERY
  var MAX_ALTERNATIVES = 8
  var FEW = 10  // sections: with fewer holding every word of the query, add those with some
  var here = typeof document !== "undefined" && document.currentScript
    ? document.currentScript.src
    : self.location.href
  var named = /[?&]material=([\w.-]+?\.js)/.exec(here)
  var material = new URL(named ? named[1] : "search.js", here).href

  var query = null // the query being handled, as typed
  var words = []   // the index's words, sorted
  var synonyms = [] // groups of words searched for one another

  /* Runs before Material's handler, which searches synchronously when it gets the message */
  addEventListener("message", function (ev) {
    query = ev.data && ev.data.type === QUERY ? String(ev.data.data) : null
    if (ev.data && ev.data.type === SETUP) {
      var config = ev.data.data && ev.data.data.config
      synonyms = config && Array.isArray(config.huxiao_synonyms) ? config.huxiao_synonyms : []
    }
  })

  /* The query as typed, then with each synonym of a word it holds in that word's place */
  function alternatives(text) {
    var found = [text]
    synonyms.forEach(function (group) {
      group.forEach(function (word) {
        if (text.indexOf(word) < 0) return
        group.forEach(function (other) {
          var alt = text.split(word).join(other)
          if (found.indexOf(alt) < 0 && found.length < MAX_ALTERNATIVES) found.push(alt)
        })
      })
    })
    return found
  }

  /* Whether some word of the index starts with `prefix` */
  function begins(prefix) {
    var lo = 0, hi = words.length
    while (lo < hi) {
      var mid = (lo + hi) >>> 1
      if (words[mid] < prefix) lo = mid + 1
      else hi = mid
    }
    return lo < words.length && words[lo].lastIndexOf(prefix, 0) === 0
  }

  /* A run of Han characters as the longest pieces, left to right, that begin a word */
  function cut(run) {
    var pieces = []
    for (var i = 0; i < run.length;) {
      var j = run.length
      while (j > i && !begins(run.slice(i, j))) j--
      if (j === i) { i++; continue } // no word starts with this character
      pieces.push(run.slice(i, j))
      i = j
    }
    return pieces
  }

  /* The share of the Han characters of `text` that the index knows as (the start of) words of
     two or more characters */
  function wholeShare(text) {
    var han = 0, whole = 0
    ;(text.match(/\p{sc=Han}+/gu) || []).forEach(function (run) {
      han += run.length
      cut(run).forEach(function (piece) { if (piece.length > 1) whole += piece.length })
    })
    return han ? whole / han : 1
  }

  /* Of the query and its alternatives, the one with most of it whole words of the index */
  function preferred(text) {
    var best = text, share = wholeShare(text)
    alternatives(text).forEach(function (alt) {
      var s = wholeShare(alt)
      if (s > share) { best = alt; share = s }
    })
    return best
  }

  /* The query's terms: Han runs cut into pieces, other text split as Material splits it */
  function terms(text, separator) {
    var found = []
    text.replace(/[*+\-:^~"]/g, " ").split(/\s+/).forEach(function (part) {
      part.replace(/(\p{sc=Han}+)|(\P{sc=Han}+)/gu, function (_, han, other) {
        if (han) found.push.apply(found, cut(han))
        else other.split(separator).forEach(function (t) {
          if (/[\p{L}\p{N}]/u.test(t)) found.push(t.toLowerCase()) // not a lone （ or ：
        })
        return ""
      })
    })
    return found
  }

  /* The terms as lunr query syntax, each a prefix search. A single Han character (防 of 防踩踏,
     when no word of the index begins with 防踩) begins hundreds of words: it may add to a
     result's score, but the words of two or more characters must all be there. */
  function syntax(found, strict) {
    return found.map(function (t) {
      return (strict && !/^\p{sc=Han}$/u.test(t) ? "+" : "") + t + "*"
    }).join(" ")
  }

  function patch(lunr) {
    var build = lunr.Builder.prototype.build
    lunr.Builder.prototype.build = function () {
      var index = build.apply(this, arguments)
      words = Object.keys(index.invertedIndex).sort()
      return index
    }

    /* While a query is handled, the parser reads it as cut here (strict first, see search) */
    var strict = true
    var searching = false
    var Parser = lunr.QueryParser
    var Cut = function (str, q) {
      if (query !== null && words.length) {
        // Material reads the query's terms before it searches, to mark what each result lacks
        // and to highlight: then the alternative the index knows best stands for the query.
        var found = terms(searching ? query : preferred(query), lunr.tokenizer.separator)
        if (found.length) str = syntax(found, strict)
      }
      return new Parser(str, q)
    }
    Cut.prototype = Parser.prototype
    for (var key in Parser) if (Object.prototype.hasOwnProperty.call(Parser, key)) Cut[key] = Parser[key]
    lunr.QueryParser = Cut

    /* Few sections hold every word: those first, then the sections with some of them, scored
       well below (Material multiplies a score by at most 5 for the words a result holds) */
    var search = lunr.Index.prototype.search
    var searchCut = function (str) {
      strict = true
      var results = search.call(this, str)
      if (results.length >= FEW || query === null) return results
      strict = false
      var more = search.call(this, str)
      strict = true
      var seen = {}, floor = Infinity, top = 0
      results.forEach(function (r) { seen[r.ref] = true; floor = Math.min(floor, r.score) })
      more = more.filter(function (r) { top = Math.max(top, r.score); return !seen[r.ref] })
      var scale = results.length && top ? floor / top / 10 : 1
      more.forEach(function (r) { r.score *= scale })
      return results.concat(more)
    }

    /* Each alternative of the query in turn (see alternatives). Scores of different queries
       do not compare: each alternative's are taken relative to its best, weighted by how much of
       it the index knows as whole words (拐卖, which no page says, cuts into 拐 and 卖, single
       characters that begin hundreds of words; 防拐骗 is one word of the index). A section keeps
       its best score. */
    lunr.Index.prototype.search = function (str) {
      var asked = query
      var all = asked === null ? [] : alternatives(asked)
      if (all.length < 2) return searchCut.call(this, str)
      var best = {}
      searching = true
      try {
        all.forEach(function (alt) {
          query = alt
          var results = searchCut.call(this, str)
          var top = results.length ? results[0].score : 0
          var weight = 0.1 + wholeShare(alt)
          results.forEach(function (r) {
            r.score = top ? r.score / top * weight : 0
            if (!best[r.ref] || r.score > best[r.ref].score) best[r.ref] = r
          })
        }, this)
      } finally {
        query = asked
        searching = false
      }
      return Object.keys(best).map(function (ref) { return best[ref] })
        .sort(function (a, b) { return b.score - a.score })
    }
  }

  /* Only the lunr this script knows: otherwise Material searches on its own */
  function patchIfKnown() {
    var lunr = self.lunr
    if (lunr && lunr.QueryParser && lunr.Builder && lunr.Index && lunr.tokenizer) patch(lunr)
  }

  var loaded = importScripts(material) // a Promise in the iframe-worker shim
  if (loaded && typeof loaded.then === "function") loaded.then(patchIfKnown)
  else patchIfKnown()
})()

// Reaction messages: a viewer laughing, hyped or in disbelief, recognised in any language
// and emote set by the shape of the message as much as by its words.
//
// Real chat reacts to a moment with a burst of short messages that look alike across
// languages: a letter repeated ("ㅋㅋㅋㅋ", "hahaha", "jajaja", "kkkkk", "wwww", "5555",
// "хахаха"), a laughter or hype emote (KEKW, LUL, OMEGALUL, Pog, PogChamp, a channel's own
// "<prefix>LUL"), a run of "?" or "!", or a short exclamation ("no way", "wtf", "omg").
// A message is a reaction when any of its words is one of these; the rest of the message
// does not matter.
//
// Rules:
//   - repetition: one character (UTF-8 code point) repeated at least min_repeat_chars times
//     ("ㅋㅋㅋ", "wwww", "5555", "kkkk"), or two alternating ones at least 4 long ("haha",
//     "jajaja", "lolol", "xdxd"), counts as laughter; only '?' ("???") as disbelief, only '!'
//     as hype. Trailing punctuation is ignored ("ㅋㅋㅋ?"); "...", "---" are not reactions;
//   - emotes: the names in ReactionLexicon match whole words, case-sensitively as emote
//     names are; a channel emote (a lower-case prefix followed by a known name, "kimdoeLUL",
//     "xqcL" is not one: "L" is too short) matches by its suffix of 3 or more characters;
//   - words: the lexicon's words match whole words ignoring ASCII case ("LOL", "lmao"), but
//     only in short messages (max_words_for_words words at most): "no way" is a reaction alone,
//     not in "no way to win this if you keep camping".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace clipthat::chat {

enum class ReactionKind { kNone, kLaughter, kHype, kDisbelief };

// "laughter", "hype", "disbelief" ("" for kNone).
std::string_view ReactionKindName(ReactionKind kind);

struct ReactionLexicon {
  int min_repeat_chars = 3;     // code points in a repeated-letter word
  int max_words_for_words = 3;  // longer messages match emotes and repetition only
  // Emote names (case-sensitive) by kind.
  std::vector<std::string> laughter_emotes = {
      "LUL",  "LULW",      "KEKW",  "OMEGALUL", "KEKL", "ICANT",    "PepeLaugh",
      "LOLW", "pepeLaugh", "Kappa", "4Head",    "kekw", "EleGiggle"};
  std::vector<std::string> hype_emotes = {"Pog",    "POG",      "PogChamp", "POGGERS",
                                          "PogU",   "Kreygasm", "PagChomp", "PogBones",
                                          "HYPERS", "catJAM",   "EZ",       "GIGACHAD"};
  std::vector<std::string> disbelief_emotes = {
      "monkaS", "monkaW", "WutFace", "D:", "NotLikeThis", "Pepega", "WAYTOODANK"};
  // Words (ASCII case ignored), whole words of the message.
  std::vector<std::string> laughter_words = {"lol", "lmao", "lmfao", "rofl",
                                             "xd",  "kek",  "草",    "笑"};
  std::vector<std::string> hype_words = {"hype", "letsgo", "omg", "insane", "clutch", "gg"};
  std::vector<std::string> disbelief_words = {"wtf", "wth", "noway", "bruh", "omfg"};
};

// The kind of reaction `text` shows; kNone for an ordinary message. Two-word phrases are
// joined before matching ("no way" -> "noway", "lets go" -> "letsgo").
ReactionKind ClassifyReaction(std::string_view text, const ReactionLexicon& lexicon = {});

// The repetition rule above for one space-free word, trailing punctuation ignored: kLaughter,
// kHype ("!!!"), kDisbelief ("???") or kNone.
ReactionKind RepetitionReaction(std::string_view word, int min_repeat_chars = 3);

}  // namespace clipthat::chat

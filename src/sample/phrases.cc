#include "sample/phrases.h"

namespace clipthat::sample {

const std::vector<std::string>& CalmStreamerLines() {
  static const std::vector<std::string> kLines = {
      "Okay chat, let's see if we can get past this part today.",
      "I think we need to go left here, the map says there's a shop.",
      "Thanks for the follow, welcome in.",
      "Hold on, let me check my inventory real quick.",
      "This level took me like two hours last time.",
      "Somebody in chat asked about my settings, I'll put them in the discord.",
      "I had pasta for dinner, it was pretty good actually.",
      "We're going to play for maybe another hour or so.",
      "Let me grab some water, one second.",
      "Does anyone know where the key for this door is?",
      "I'm going to try a different strategy this time.",
      "The music in this game is honestly so good.",
      "Yeah, I saw that clip, it was really funny.",
      "Alright, upgrading the sword first, then the armor.",
      "Chat, should we do the side quest or the main story?",
      "I don't trust that guy, he looks suspicious.",
      "My camera was acting weird earlier, is it fine now?",
      "Thanks for the sub, appreciate you.",
      "We have to be careful, there are traps everywhere in this room.",
      "I'll do a giveaway when we hit the follower goal.",
      "Okay, slow and steady, no need to rush.",
      "That's a nice view from up here.",
      "I think the boss is weak to fire damage.",
      "Let me read chat for a second.",
      "The next stream is on Thursday, same time as usual.",
      "I keep forgetting to save, let me do that now.",
      "This puzzle is kind of confusing, give me a minute.",
      "Shout out to everyone watching from Europe.",
      "My cat just walked across the keyboard again.",
      "We need three more gems to unlock the next area.",
      "Honestly I'm not sure what I'm doing right now.",
      "Let's try the other path, this one is a dead end.",
      "I'm pretty hungry, I might order some food later.",
      "Good question, I started streaming about two years ago.",
      "Okay, here comes the tricky jump.",
      "I like this character design a lot.",
      "Wait, was that a secret passage?",
      "Alright chat, vote in the poll for the next game.",
      "I'm going to turn the game volume down a little.",
      "We got this, just one more try.",
  };
  return kLines;
}

const std::vector<std::string>& ExcitedStreamerLines() {
  static const std::vector<std::string> kLines = {
      "No way! No way! Did you see that?",         "Oh my god, let's go! Let's go!",
      "What was that? That was insane!",           "Yes! Yes! We did it, chat!",
      "Are you kidding me? That was crazy!",       "Oh no no no no, wait, yes! Yes!",
      "That was the best thing I have ever seen!", "Holy moly, I can't believe that worked!",
  };
  return kLines;
}

const std::vector<std::string>& TriggerLineTemplates() {
  static const std::vector<std::string> kLines = {
      "Chat, {}! Somebody {}!",
      "Oh my god, {}, {} right now!",
      "Did you see that? {}!",
      "{}! That has to be a clip!",
  };
  return kLines;
}

const std::vector<std::string>& ChatLines() {
  static const std::vector<std::string> kLines = {
      "hi",
      "hello",
      "hey chat",
      "what game is this",
      "lol",
      "lmao",
      "gg",
      "nice",
      "this game looks fun",
      "first time here",
      "hello from germany",
      "hello from brazil",
      "is this the new update",
      "go left",
      "go right",
      "you missed the chest",
      "what rank are you",
      "how long have you been live",
      "love the stream",
      "music is a vibe",
      "when is the next stream",
      "can you play minecraft next",
      "bro is cracked",
      "that was close",
      "check the map",
      "pet the cat",
      "how old is the cat",
      "what keyboard is that",
      "the boss is weak to fire",
      "hydrate",
      "just got here what did i miss",
      "ez",
      "rip",
      "F",
      "no shot",
      "true",
      "based",
      "this music slaps",
      "what are your settings",
      "good luck",
      "you got this",
      "chat is so quiet today",
      "i have school tomorrow lol",
      "lurking",
      "back from dinner",
      "sheesh",
      "clean",
      "inventory is full btw",
      "save first",
      "do the side quest",
      "main story pls",
      "that npc is sus",
      "500 iq play",
      "skill issue",
  };
  return kLines;
}

const std::vector<std::string>& BurstChatLines() {
  static const std::vector<std::string> kLines = {
      "CLIP IT",
      "clip it",
      "clip that",
      "CLIP THAT",
      "LUL",
      "KEKW",
      "POG",
      "W",
      "W W W",
      "NO WAY",
      "omg",
      "HOLY",
      "OMEGALUL",
      "LETS GOOO",
      "insane",
      "what just happened",
      "someone clip it",
      "clip it clip it",
      "POGGERS",
      "HUGE",
      "actual W",
      "LMAOOO",
  };
  return kLines;
}

const std::vector<std::string>& BotCommands() {
  static const std::vector<std::string> kLines = {
      "!discord", "!uptime", "!socials", "!specs", "!followage", "!commands", "!lurk",
  };
  return kLines;
}

const std::vector<std::string>& UserNameParts() {
  static const std::vector<std::string> kParts = {
      "pixel",   "shadow", "lazy",   "epic", "frosty", "neon",   "turbo",  "sleepy",
      "captain", "salty",  "cosmic", "tiny", "mega",   "silent", "wild",   "lucky",
      "crispy",  "dark",   "happy",  "noob", "panda",  "wolf",   "gamer",  "ninja",
      "taco",    "potato", "dragon", "fox",  "knight", "wizard", "goblin", "toast",
      "storm",   "viper",  "mango",  "bean", "rocket", "ghost",  "pickle", "otter",
  };
  return kParts;
}

const std::vector<Emote>& Emotes() {
  static const std::vector<Emote> kEmotes = {
      {"Kappa", "25"},
      {"LUL", "425618"},
      {"PogChamp", "305954156"},
      {"BibleThump", "86"},
      {"Kreygasm", "41"},
      {"4Head", "354"},
      {"DansGame", "33"},
      {"ResidentSleeper", "245"},
      {"SeemsGood", "64138"},
      {"NotLikeThis", "58765"},
      {"HeyGuys", "30259"},
      {"WutFace", "28087"},
      {"KEKW", ""},
      {"OMEGALUL", ""},
      {"POGGERS", ""},
      {"monkaS", ""},
      {"Sadge", ""},
      {"catJAM", ""},
  };
  return kEmotes;
}

const std::vector<std::string>& HypeEmoteNames() {
  static const std::vector<std::string> kNames = {"LUL",     "PogChamp", "KEKW",   "OMEGALUL",
                                                  "POGGERS", "Kreygasm", "WutFace"};
  return kNames;
}

}  // namespace clipthat::sample

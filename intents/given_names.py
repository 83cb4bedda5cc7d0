"""Common given names, lower case without accents: the lexicon that lets `intents.redact` read a
name written in lower case ("patient maria lopez", "la paciente maría fernández").

Only consulted right after a strong patient cue (patient, pt, paciente, a bed or room number, a
list of patients); capitalised names need no lexicon. Names that are also common English or
Spanish words ("will", "may", "hope", "dolores", "blanca", "paz") are left out on purpose, so
"the patient will call" or "paciente dolores abdominales" stay as written.
"""

from __future__ import annotations

_NAMES = """
aaron abby abdul abdullah abe abel abena abigail abraham adaeze adam adan addison adela adelaida adelina
adeola adewale adil aditi aditya adolfo adrian adriana adrienne agnes agustin ahmad ahmed aidan aiden aiko
aisha akira akosua alan alana albert alberto alejandra alejandro aleksandr alessandra alessandro alex alexa
alexander alexandra alexandre alexis alfonso alfred alfredo ali alice alicia alina alisha alison alissa allan
allison alma alonso alvaro amaia amal amanda amani amber amelia amina amir amit amrita amy ana anabel
anastasia andre andrea andreas andres andrew andrzej andy angela angelica angelina angie anil anita anja
anjali ann anna annabelle anne annette annie anthony antoine antonia antonio anuj anya aparna arjun armando
arnold arnulfo arturo arun asha ashley ashok astrid aubrey audrey aurelio aurora austin ava avery ayesha ayumi
aziz babajide bao barb barbara barry basil beatrice beatriz becky belinda ben benito benjamin bernard bernardo
bernice beth bethany betty beverly bianca bilal billy binh blake bob bobby bogdan bonnie boris brad bradley
brandon brenda brendan brian briana bridget brittany brooke bruce bruno bryan byron caitlin caleb camila
camille candace carina carl carla carlo carlos carmela carmen carol carolina caroline carolyn carrie casey
cassandra catalina catherine cathy cecilia cedric celeste celia cesar chad chandra chantal chao charlene
charles charlie charlotte chen cheryl chiamaka chidi chinedu chioma chloe chris christian christina christine
christopher chuck cindy claire clarence claudia claudio clayton clifford clint clyde cody colin connie connor
constance consuelo cora corey cory courtney craig cristian cristina crystal curtis cynthia daisy dakota damian
damien dan dana daniel daniela danielle danny dante daphne darius darlene darnell darrell darren daryl dave
david dayana dean deanna deb debbie deborah debra deepa deepak deepika deirdre delia denise dennis derek
derrick desiree devin diana diane dianne diego dimitri dina dinesh divya dmitri dolly dominic dominique donald
donna dora doris dorothy doug douglas duane duc duong dustin dwayne dylan earl ebere ebony eddie edgar edith
edmund eduardo edward edwin efrain eileen elaine eleanor elena eli elias elijah elisa elisabeth elise eliza
elizabeth ella ellen elliot elsa elvira emeka emil emilia emiliano emilio emily emma emmanuel enrique eric
erica erik erika erin ernest ernesto esteban estela esther ethan eugene eugenia eva evan evelyn ezekiel fabian
fahad faisal fang farah fatima fatuma federico felipe felix fernanda fernando fiona florence folake frances
francesca francesco francis francisco franco fred frederick gabriel gabriela gabrielle gail gareth gary gaurav
gavin genaro genevieve geoffrey george georgia gerald gerardo gilbert gilberto gina giovanni giselle giuseppe
gladys glenda gloria gonzalo gordon graciela greg gregorio gregory greta guadalupe guillermo gus gustavo gwen
hadiza hailey haley hamid hamza hana hank hannah hans harold harpreet harriet harry haruto harvey hassan hazel
heather hector heidi helen helena henry herbert hernan hieu hilda hiroshi hoa hoang holly howard hugo hui
huong hussein hyun ian ibrahim ifeoma ignacio igor imani imelda imran ines ingrid irene irma isaac isabel
isabella isaiah isidro ismael israel ivan ivana ivette jackie jacob jacqueline jade jae jaime jake jamal james
jamie jamila jan jane janet janice jared jasmine jason jaswinder javier jay jayden jeff jeffrey jen jenna
jennifer jenny jeremiah jeremy jerome jerry jess jesse jessica jesus ji jian jill jim jimmy jin joan joanna
joanne joaquin jocelyn jodi joe joel johanna john johnny jon jonathan jordan jorge jose josefina joseph
josephine josh joshua joyce juan juana juanita judith judy julia julian juliana julie julio justin kaitlyn
kamal kamala karen karina karl karla kate katherine kathleen kathryn kathy katie kavita kayla keiko keisha
keith kelly kelvin ken kendra kenji kenneth kenta kerry kevin khadija khalid khanh kim kimberly kirk kofi
krishna kristen kristin kristina kumar kurt kwame kyle lakshmi lalita lamar lance lara larry latisha latoya
laura lauren laurie lawrence leah leila lena leonard leonardo leonor leslie leticia li liam lila lillian linda
lindsay lindsey ling linh lisa liz lizbeth lloyd logan lois lola lorena lorenzo loretta lori lorraine lou
louis louise lourdes lucas lucia luciana lucy luis luisa lupe lydia lynn madeline madison magdalena maggie
mahmoud malik mamadou mandy manoj manuel manuela marc marcela marcia marco marcos marcus margaret margarita
maria mariana maribel marie mariko marilyn marina mario marion marisol marissa marjorie marlene marta martha
martin martina marvin mary maryam mateo matilda matt matthew maureen maurice mauricio max maxine maya meena
meg megan mehmet mei melanie melinda melissa melvin mercedes micaela michael michele michelle miguel mike
milagros mildred ming minh miriam mitchell mohamed mohammad mohammed mohan moises monica monique muhammad
mustafa myra myrna nadia nancy nandini naoko naomi natalia natalie natasha nathan nathaniel neeraj neha neil
nelson nestor ngoc ngozi nguyen nicholas nick nicole nikhil nikita nkechi noah noel noemi nora norma norman
obinna octavio olga oliver olivia oluwaseun omar orlando oscar osvaldo pablo pam pamela pankaj paola parvati
patricia patrick paula paulina pedro peggy penelope percy pete peter philip phillip phuong phyllis pierre
pilar polly pooja pradeep prakash preeti priscilla priya qiang quang rachel rafael rahul raj rajesh rajiv
ramesh ramiro ramon ramona randall randy raquel rashid raul ravi rebecca regina reginald rekha renata rene
ricardo richard rick ricky rita robert roberta roberto robin rocio rodolfo rodrigo rogelio roger roland
rolando ron ronald ronnie rosalia rosalind rosalinda rosario rosemary roxanne ruben ruby rudy russell ruth
ryan sabrina sachin sadie sakura sally salma salvador sam samantha samuel sandra sanjay sanjeev santiago
santosh sara sarah saul scott sean sebastian sergei sergio seth shanice shannon shanti sharon shawn sheila
shelby shelly sherry shirley shreya silvia simon simone sita sofia sonia soo sophia sophie stacy stan stanley
stefan stella stephanie stephen steve steven stuart sunil suresh susan susana suzanne swati sylvia takeshi
tamara tammy tanisha tanya tara tatiana taylor ted teresa terrence terry thanh thao thelma theodore theresa
thomas tiffany timothy tina toby todd tom tomas tommy toni tony tracy trang travis trevor tricia trinidad tuan
tunde tyler tyrone uchenna umar ursula usha valentina valeria vanessa vera veronica vicente vicky victor vijay
vikram vincent vinod viola violet virginia vivian vy walter wanda warren wayne wei wendy wesley whitney
wilfredo william willie wilma xavier xiao ximena xin yan yang yasmin yeon yesenia yetunde ying yoko yolanda
yong yosef yu yuki yumi yusuf yvette yvonne zach zachary zainab zhang zhen zoe zoila zulema
"""

GIVEN_NAMES: frozenset[str] = frozenset(_NAMES.split())
